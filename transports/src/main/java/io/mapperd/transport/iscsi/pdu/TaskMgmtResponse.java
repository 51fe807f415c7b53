package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Task Management Function Response (11.6). */
public record TaskMgmtResponse(int response, int itt, int statSn, int expCmdSn, int maxCmdSn) implements Pdu {
    public static final int COMPLETE = 0;
    public static final int TASK_DOES_NOT_EXIST = 1;
    public static final int LUN_DOES_NOT_EXIST = 2;
    public static final int TASK_STILL_ALLEGIANT = 3;
    public static final int NOT_SUPPORTED = 5;
    public static final int REJECTED = 255;

    @Override
    public int opcode() {
        return Opcode.TASK_MGMT_RESPONSE;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.TASK_MGMT_RESPONSE, false, Bhs.FINAL, response, 0, data());
        out.setInt(at + 16, itt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
    }

    static TaskMgmtResponse decode(ByteBuf bhs, ByteBuf data) {
        data.release();
        return new TaskMgmtResponse(bhs.getUnsignedByte(2), bhs.getInt(16), bhs.getInt(24), bhs.getInt(28),
                bhs.getInt(32));
    }
}
