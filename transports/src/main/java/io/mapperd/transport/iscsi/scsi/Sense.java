package io.mapperd.transport.iscsi.scsi;

import io.netty.buffer.ByteBuf;

import java.util.OptionalLong;

/**
 * Sense data, fixed (response codes 0x70/0x71) or descriptor format (0x72/0x73), reduced to what
 * callers decide on: key, additional sense code and qualifier, and the INFORMATION field if valid.
 */
public record Sense(SenseKey key, int asc, int ascq, boolean descriptorFormat, boolean deferred,
                    OptionalLong information) {

    public static Sense of(SenseKey key, int asc, int ascq) {
        return new Sense(key, asc, ascq, false, false, OptionalLong.empty());
    }

    /**
     * Decodes {@code length} bytes at {@code index}. Fields the buffer does not hold read as zero,
     * as SPC says for truncated sense; an unknown response code is an error.
     */
    public static Sense decode(ByteBuf buf, int index, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("empty sense data");
        }
        int code = buf.getUnsignedByte(index) & 0x7f;
        switch (code) {
            case 0x70, 0x71 -> {
                int key = length > 2 ? buf.getUnsignedByte(index + 2) & 0x0f : 0;
                int addl = length > 7 ? buf.getUnsignedByte(index + 7) : 0;
                int usable = Math.min(length, 8 + addl);
                int asc = usable > 12 ? buf.getUnsignedByte(index + 12) : 0;
                int ascq = usable > 13 ? buf.getUnsignedByte(index + 13) : 0;
                boolean valid = (buf.getUnsignedByte(index) & 0x80) != 0 && length >= 7;
                OptionalLong info = valid ? OptionalLong.of(buf.getUnsignedInt(index + 3)) : OptionalLong.empty();
                return new Sense(SenseKey.of(key), asc, ascq, false, code == 0x71, info);
            }
            case 0x72, 0x73 -> {
                int key = length > 1 ? buf.getUnsignedByte(index + 1) & 0x0f : 0;
                int asc = length > 2 ? buf.getUnsignedByte(index + 2) : 0;
                int ascq = length > 3 ? buf.getUnsignedByte(index + 3) : 0;
                int addl = length > 7 ? buf.getUnsignedByte(index + 7) : 0;
                int end = Math.min(length, 8 + addl);
                OptionalLong info = OptionalLong.empty();
                int p = 8;
                while (p + 2 <= end) {
                    int type = buf.getUnsignedByte(index + p);
                    int dlen = buf.getUnsignedByte(index + p + 1);
                    if (p + 2 + dlen > end) {
                        break;
                    }
                    if (type == 0x00 && dlen >= 0x0a && (buf.getUnsignedByte(index + p + 2) & 0x80) != 0) {
                        info = OptionalLong.of(buf.getLong(index + p + 4));
                    }
                    p += 2 + dlen;
                }
                return new Sense(SenseKey.of(key), asc, ascq, true, code == 0x73, info);
            }
            default -> throw new IllegalArgumentException(String.format("sense data with unknown response code 0x%02x", code));
        }
    }

    /** Writes fixed-format sense (18 bytes), as target-sim answers. */
    public void writeFixed(ByteBuf out) {
        boolean valid = information.isPresent();
        out.writeByte((valid ? 0x80 : 0) | 0x70);
        out.writeByte(0);
        out.writeByte(key.code());
        out.writeInt(valid ? (int) information.getAsLong() : 0);
        out.writeByte(10);
        out.writeInt(0);
        out.writeByte(asc);
        out.writeByte(ascq);
        out.writeByte(0);
        out.writeMedium(0);
    }

    public boolean is(SenseKey k, int a, int q) {
        return key == k && asc == a && ascq == q;
    }

    @Override
    public String toString() {
        return String.format("%s asc/ascq %02x/%02x", key.text(), asc, ascq);
    }
}
