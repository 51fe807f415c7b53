package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** REPORT TARGET PORT GROUPS parameter data (SPC-4 6.36), length or extended header format. */
public record TargetPortGroups(boolean extendedHeader, int implicitTransitionSeconds, List<TargetPortGroup> groups) {

    public static TargetPortGroups decode(ByteBuffer b) {
        if (b.remaining() < 4) {
            throw new IllegalArgumentException("REPORT TARGET PORT GROUPS data of " + b.remaining() + " bytes");
        }
        int base = b.position();
        int len = Math.min(b.getInt(base), b.remaining() - 4);
        int p = base + 4;
        int end = p + len;
        boolean ext = false;
        int itt = 0;
        if (b.remaining() >= 8 && ((b.get(base + 4) >>> 4) & 7) == 1) {
            ext = true;
            itt = b.get(base + 5) & 0xff;
            p = base + 8;
        }
        List<TargetPortGroup> groups = new ArrayList<>();
        while (p + 8 <= end) {
            int b0 = b.get(p) & 0xff;
            int count = b.get(p + 7) & 0xff;
            if (p + 8 + 4 * count > end) {
                throw new IllegalArgumentException("target port group descriptor lists " + count
                        + " ports past the end of the data");
            }
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ports.add(b.getShort(p + 8 + 4 * i + 2) & 0xffff);
            }
            groups.add(new TargetPortGroup(b.getShort(p + 2) & 0xffff, AluaState.of(b0), (b0 & 0x80) != 0,
                    b.get(p + 1) & 0xff, b.get(p + 5) & 0xff, List.copyOf(ports)));
            p += 8 + 4 * count;
        }
        return new TargetPortGroups(ext, itt, List.copyOf(groups));
    }

    public Optional<TargetPortGroup> group(int id) {
        return groups.stream().filter(g -> g.id() == id).findFirst();
    }
}
