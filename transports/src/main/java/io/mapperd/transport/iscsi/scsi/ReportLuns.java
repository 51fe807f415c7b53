package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** REPORT LUNS parameter data: LUN numbers in peripheral or flat addressing. */
public final class ReportLuns {
    private ReportLuns() {
    }

    public static List<Integer> decode(ByteBuffer b) {
        if (b.remaining() < 8) {
            throw new IllegalArgumentException("REPORT LUNS data of " + b.remaining() + " bytes");
        }
        int p = b.position();
        long len = b.getInt(p) & 0xffffffffL;
        int n = (int) Math.min(len / 8, (b.remaining() - 8) / 8);
        List<Integer> luns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int hi = b.getShort(p + 8 + 8 * i) & 0xffff;
            luns.add(hi & 0x3fff);
        }
        return luns;
    }
}
