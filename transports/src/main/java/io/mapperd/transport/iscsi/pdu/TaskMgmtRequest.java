package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Task Management Function Request (11.5): ABORT TASK, LOGICAL UNIT RESET and the others. */
public record TaskMgmtRequest(boolean immediate, int function, long lun, int itt, int referencedTaskTag,
                              int cmdSn, int expStatSn, int refCmdSn, int expDataSn) implements Pdu {
    public static final int ABORT_TASK = 1;
    public static final int ABORT_TASK_SET = 2;
    public static final int CLEAR_ACA = 3;
    public static final int CLEAR_TASK_SET = 4;
    public static final int LOGICAL_UNIT_RESET = 5;
    public static final int TARGET_WARM_RESET = 6;
    public static final int TARGET_COLD_RESET = 7;
    public static final int TASK_REASSIGN = 8;

    @Override
    public int opcode() {
        return Opcode.TASK_MGMT_REQUEST;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.TASK_MGMT_REQUEST, immediate, Bhs.FINAL | (function & 0x7f), 0, 0, data());
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, referencedTaskTag);
        out.setInt(at + 24, cmdSn);
        out.setInt(at + 28, expStatSn);
        out.setInt(at + 32, refCmdSn);
        out.setInt(at + 36, expDataSn);
    }

    static TaskMgmtRequest decode(ByteBuf bhs, ByteBuf data) {
        data.release();
        return new TaskMgmtRequest(Bhs.immediate(bhs), Bhs.flags(bhs) & 0x7f, bhs.getLong(8), bhs.getInt(16),
                bhs.getInt(20), bhs.getInt(24), bhs.getInt(28), bhs.getInt(32), bhs.getInt(36));
    }
}
