package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Command (11.3). {@code cdb} holds 16 bytes (shorter CDBs are zero-padded); the data segment
 * carries immediate data for a write.
 */
public record ScsiCommand(boolean immediate, boolean isFinal, boolean read, boolean write, int attr, long lun,
                          int itt, int expectedLength, int cmdSn, int expStatSn, byte[] cdb, ByteBuf data)
        implements Pdu {
    public static final int ATTR_SIMPLE = 1;

    public ScsiCommand {
        if (cdb.length > 16) {
            throw new IllegalArgumentException("CDB of " + cdb.length + " bytes needs an extended CDB AHS");
        }
    }

    @Override
    public int opcode() {
        return Opcode.SCSI_COMMAND;
    }

    public int cdbOpcode() {
        return cdb[0] & 0xff;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int flags = (isFinal ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | (attr & 7);
        int at = Bhs.start(out, Opcode.SCSI_COMMAND, immediate, flags, 0, 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, expectedLength);
        out.setInt(at + 24, cmdSn);
        out.setInt(at + 28, expStatSn);
        out.setBytes(at + 32, cdb);
    }

    static ScsiCommand decode(ByteBuf bhs, ByteBuf data) {
        int f = Bhs.flags(bhs);
        byte[] cdb = new byte[16];
        bhs.getBytes(32, cdb);
        return new ScsiCommand(Bhs.immediate(bhs), (f & 0x80) != 0, (f & 0x40) != 0, (f & 0x20) != 0, f & 7,
                bhs.getLong(8), bhs.getInt(16), bhs.getInt(20), bhs.getInt(24), bhs.getInt(28), cdb, data);
    }
}
