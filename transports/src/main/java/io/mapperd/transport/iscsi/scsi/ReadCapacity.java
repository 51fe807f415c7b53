package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;

/** READ CAPACITY(16) parameter data (SBC-3 5.16.2). */
public record ReadCapacity(long lastLba, int blockLength, int protectionType, int lbppbExponent, boolean lbpme,
                           boolean lbprz, int lowestAlignedLba) {

    public static ReadCapacity decode(ByteBuffer b) {
        if (b.remaining() < 16) {
            throw new IllegalArgumentException("READ CAPACITY(16) data of " + b.remaining() + " bytes, need 16");
        }
        int p = b.position();
        int b12 = b.get(p + 12) & 0xff;
        int b14 = b.get(p + 14) & 0xff;
        long lastLba = b.getLong(p);
        int blockLength = b.getInt(p + 8);
        if (blockLength <= 0 || Integer.bitCount(blockLength) != 1) {
            throw new IllegalArgumentException("READ CAPACITY(16) reports a block length of " + blockLength);
        }
        return new ReadCapacity(lastLba, blockLength, (b12 & 1) != 0 ? ((b12 >>> 1) & 7) + 1 : 0,
                b.get(p + 13) & 0x0f, (b14 & 0x80) != 0, (b14 & 0x40) != 0,
                ((b14 & 0x3f) << 8) | (b.get(p + 15) & 0xff));
    }

    public long blocks() {
        return lastLba + 1;
    }

    public long bytes() {
        return blocks() * blockLength;
    }
}
