package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Logout Request (11.14). Reason 0 closes the session. */
public record LogoutRequest(boolean immediate, int reason, int itt, int cid, int cmdSn, int expStatSn)
        implements Pdu {
    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;

    @Override
    public int opcode() {
        return Opcode.LOGOUT_REQUEST;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.LOGOUT_REQUEST, immediate, Bhs.FINAL | (reason & 0x7f), 0, 0, data());
        out.setInt(at + 16, itt);
        out.setShort(at + 20, cid);
        out.setInt(at + 24, cmdSn);
        out.setInt(at + 28, expStatSn);
    }

    static LogoutRequest decode(ByteBuf bhs, ByteBuf data) {
        data.release();
        return new LogoutRequest(Bhs.immediate(bhs), Bhs.flags(bhs) & 0x7f, bhs.getInt(16), bhs.getUnsignedShort(20),
                bhs.getInt(24), bhs.getInt(28));
    }
}
