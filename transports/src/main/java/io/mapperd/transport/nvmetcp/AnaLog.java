package io.mapperd.transport.nvmetcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Asymmetric Namespace Access log page (0Ch) as a controller reports it through one port. */
public record AnaLog(long changeCount, List<AnaGroup> groups) {
    public static final int HEADER = 16;
    public static final int DESCRIPTOR = 32;

    public static AnaLog parse(ByteBuffer buf) {
        ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < HEADER) {
            throw new IllegalArgumentException("ANA log of " + b.limit() + " bytes is shorter than its header");
        }
        long chg = b.getLong(0);
        int ngrps = b.getShort(8) & 0xFFFF;
        List<AnaGroup> groups = new ArrayList<>();
        int at = HEADER;
        for (int g = 0; g < ngrps; g++) {
            if (at + DESCRIPTOR > b.limit()) {
                throw new IllegalArgumentException("ANA log: group descriptor " + g + " of " + ngrps + " runs past " + b.limit() + " bytes");
            }
            int id = b.getInt(at);
            int nnsids = b.getInt(at + 4);
            long gchg = b.getLong(at + 8);
            AnaState state = AnaState.ofCode(b.get(at + 16) & 0xF);
            at += DESCRIPTOR;
            if (nnsids < 0 || at + 4L * nnsids > b.limit()) {
                throw new IllegalArgumentException("ANA log: group " + id + " lists " + Integer.toUnsignedString(nnsids) + " namespaces past " + b.limit() + " bytes");
            }
            List<Integer> ns = new ArrayList<>(nnsids);
            for (int i = 0; i < nnsids; i++) {
                ns.add(b.getInt(at));
                at += 4;
            }
            groups.add(new AnaGroup(id, gchg, state, List.copyOf(ns)));
        }
        return new AnaLog(chg, List.copyOf(groups));
    }

    public Optional<AnaGroup> group(int groupId) {
        return groups.stream().filter(g -> g.groupId() == groupId).findFirst();
    }

    /** Bytes the log takes. */
    public int size() {
        int n = HEADER;
        for (AnaGroup g : groups) {
            n += DESCRIPTOR + 4 * g.nsids().size();
        }
        return n;
    }
}
