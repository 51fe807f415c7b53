package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Login Request (11.12). Stages: 0 security negotiation, 1 operational negotiation, 3 full feature
 * phase. {@code isid} holds the 6-byte initiator session id in its low 48 bits.
 */
public record LoginRequest(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionMin,
                           long isid, int tsih, int itt, int cid, int cmdSn, int expStatSn, ByteBuf data)
        implements Pdu {
    @Override
    public int opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int flags = (transit ? 0x80 : 0) | (cont ? 0x40 : 0) | ((csg & 3) << 2) | (nsg & 3);
        int at = Bhs.start(out, Opcode.LOGIN_REQUEST, true, flags, versionMax, versionMin, data);
        out.setShort(at + 8, (int) (isid >>> 32));
        out.setInt(at + 10, (int) isid);
        out.setShort(at + 14, tsih);
        out.setInt(at + 16, itt);
        out.setShort(at + 20, cid);
        out.setInt(at + 24, cmdSn);
        out.setInt(at + 28, expStatSn);
    }

    static LoginRequest decode(ByteBuf bhs, ByteBuf data) {
        int f = Bhs.flags(bhs);
        long isid = ((long) bhs.getUnsignedShort(8) << 32) | bhs.getUnsignedInt(10);
        return new LoginRequest((f & 0x80) != 0, (f & 0x40) != 0, (f >> 2) & 3, f & 3, bhs.getUnsignedByte(2),
                bhs.getUnsignedByte(3), isid, bhs.getUnsignedShort(14), bhs.getInt(16), bhs.getUnsignedShort(20),
                bhs.getInt(24), bhs.getInt(28), data);
    }
}
