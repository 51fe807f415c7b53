package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** A command's outcome in the simulator: status, sense for CHECK CONDITION, Data-In bytes. */
record SimResponse(int status, Sense sense, ByteBuf data, int transferLength) {
    SimResponse(int status, Sense sense, ByteBuf data) {
        this(status, sense, data, -1);
    }

    /** A write's outcome: the bytes the CDB asked to transfer, for the residual against the EDTL. */
    static SimResponse wrote(int transferLength) {
        return new SimResponse(ScsiStatus.GOOD, null, Unpooled.EMPTY_BUFFER, transferLength);
    }

    /** The response with its data cut to an allocation length (no residual: SPC says so). */
    SimResponse truncated(long max) {
        if (max >= 0 && data.readableBytes() > max) {
            data.writerIndex(data.readerIndex() + (int) max);
        }
        return this;
    }

    static SimResponse good() {
        return new SimResponse(ScsiStatus.GOOD, null, Unpooled.EMPTY_BUFFER);
    }

    static SimResponse good(ByteBuf data) {
        return new SimResponse(ScsiStatus.GOOD, null, data);
    }

    static SimResponse check(SenseKey key, int asc, int ascq) {
        return new SimResponse(ScsiStatus.CHECK_CONDITION, Sense.of(key, asc, ascq), Unpooled.EMPTY_BUFFER);
    }

    static SimResponse check(Sense s) {
        return new SimResponse(ScsiStatus.CHECK_CONDITION, s, Unpooled.EMPTY_BUFFER);
    }

    static SimResponse status(int status) {
        return new SimResponse(status, null, Unpooled.EMPTY_BUFFER);
    }

    static SimResponse invalidOpcode() {
        return check(SenseKey.ILLEGAL_REQUEST, 0x20, 0x00);
    }

    static SimResponse invalidField() {
        return check(SenseKey.ILLEGAL_REQUEST, 0x24, 0x00);
    }

    static SimResponse lbaOutOfRange() {
        return check(SenseKey.ILLEGAL_REQUEST, 0x21, 0x00);
    }

    static SimResponse invalidParameterList() {
        return check(SenseKey.ILLEGAL_REQUEST, 0x26, 0x00);
    }
}
