package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** A command's outcome in the simulator: status, sense for CHECK CONDITION, Data-In bytes. */
record SimResponse(int status, Sense sense, ByteBuf data) {
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
