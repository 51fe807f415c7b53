package io.mapperd.transport.nvmetcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The Discovery Log Page (70h): generation counter and entries. */
public record DiscoveryLog(long generation, long numRecords, List<DiscoveryEntry> entries) {
    public static final int HEADER = 1024;

    /** Parses as many entries as {@code buf} holds of the {@code numrec} the header announces. */
    public static DiscoveryLog parse(ByteBuffer buf) {
        ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 16) {
            throw new IllegalArgumentException("discovery log of " + b.limit() + " bytes is shorter than its header");
        }
        long gen = b.getLong(0);
        long numrec = b.getLong(8);
        List<DiscoveryEntry> entries = new ArrayList<>();
        for (long i = 0; i < numrec; i++) {
            int at = HEADER + (int) i * DiscoveryEntry.SIZE;
            if (at + DiscoveryEntry.SIZE > b.limit()) {
                break;
            }
            entries.add(new DiscoveryEntry(b.get(at) & 0xFF, b.get(at + 1) & 0xFF, b.get(at + 2) & 0xFF, b.get(at + 3) & 0xFF,
                    b.getShort(at + 4) & 0xFFFF, b.getShort(at + 6) & 0xFFFF, b.getShort(at + 8) & 0xFFFF,
                    b.getShort(at + 10) & 0xFFFF, field(b, at + 32, 32), field(b, at + 256, 256), field(b, at + 512, 256),
                    b.get(at + 768) & 0xFF));
        }
        return new DiscoveryLog(gen, numrec, List.copyOf(entries));
    }

    static String field(ByteBuffer b, int at, int len) {
        byte[] a = new byte[len];
        b.get(at, a);
        String s = new String(a, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).strip();
    }
}
