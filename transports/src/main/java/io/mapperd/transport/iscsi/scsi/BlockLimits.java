package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;

/** VPD page 0xB0, Block Limits (SBC-3 6.6.4); zero means "not reported". */
public record BlockLimits(int maxCompareAndWriteBlocks, int optimalTransferGranularity, long maxTransferLength,
                          long optimalTransferLength, long maxUnmapLbaCount, long maxUnmapDescriptors,
                          long unmapGranularity, long maxWriteSameLength) {
    public static final int PAGE = 0xb0;

    public static BlockLimits decode(ByteBuffer b) {
        int len = Vpd.checkHeader(b, PAGE);
        ByteBuffer p = b.slice(b.position(), 4 + len);
        return new BlockLimits(u8(p, 5), u16(p, 6), u32(p, 8), u32(p, 12), u32(p, 20), u32(p, 24), u32(p, 28),
                p.limit() >= 44 ? p.getLong(36) : 0);
    }

    private static int u8(ByteBuffer p, int at) {
        return p.limit() > at ? p.get(at) & 0xff : 0;
    }

    private static int u16(ByteBuffer p, int at) {
        return p.limit() >= at + 2 ? p.getShort(at) & 0xffff : 0;
    }

    private static long u32(ByteBuffer p, int at) {
        return p.limit() >= at + 4 ? p.getInt(at) & 0xffffffffL : 0;
    }
}
