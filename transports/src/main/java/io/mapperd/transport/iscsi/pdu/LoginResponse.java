package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Login Response (11.13): the next stage, the TSIH on success, or a status class and detail. */
public record LoginResponse(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionActive,
                            long isid, int tsih, int itt, int statSn, int expCmdSn, int maxCmdSn, int statusClass,
                            int statusDetail, ByteBuf data) implements Pdu {
    @Override
    public int opcode() {
        return Opcode.LOGIN_RESPONSE;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int flags = (transit ? 0x80 : 0) | (cont ? 0x40 : 0) | ((csg & 3) << 2) | (nsg & 3);
        int at = Bhs.start(out, Opcode.LOGIN_RESPONSE, false, flags, versionMax, versionActive, data);
        out.setShort(at + 8, (int) (isid >>> 32));
        out.setInt(at + 10, (int) isid);
        out.setShort(at + 14, tsih);
        out.setInt(at + 16, itt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
        out.setByte(at + 36, statusClass);
        out.setByte(at + 37, statusDetail);
    }

    static LoginResponse decode(ByteBuf bhs, ByteBuf data) {
        int f = Bhs.flags(bhs);
        long isid = ((long) bhs.getUnsignedShort(8) << 32) | bhs.getUnsignedInt(10);
        return new LoginResponse((f & 0x80) != 0, (f & 0x40) != 0, (f >> 2) & 3, f & 3, bhs.getUnsignedByte(2),
                bhs.getUnsignedByte(3), isid, bhs.getUnsignedShort(14), bhs.getInt(16), bhs.getInt(24),
                bhs.getInt(28), bhs.getInt(32), bhs.getUnsignedByte(36), bhs.getUnsignedByte(37), data);
    }
}
