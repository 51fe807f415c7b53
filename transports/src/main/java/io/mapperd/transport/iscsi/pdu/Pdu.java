package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One iSCSI PDU (RFC 7143 section 11): a 48-byte basic header segment and a data segment. The data
 * segment is a view on the receive buffer (or on the caller's buffer when sending), never a copy;
 * releasing the PDU releases it.
 */
public sealed interface Pdu extends ReferenceCounted
        permits NopOut, NopIn, ScsiCommand, ScsiResponse, TaskMgmtRequest, TaskMgmtResponse, LoginRequest,
        LoginResponse, TextRequest, TextResponse, DataOut, DataIn, LogoutRequest, LogoutResponse, R2t,
        AsyncMessage, Reject {

    int BHS_LENGTH = 48;
    /** The reserved tag value: no task, no target transfer. */
    int RESERVED_TAG = 0xffffffff;

    int opcode();

    /** Initiator task tag (RESERVED_TAG where the PDU has none). */
    int itt();

    /** The data segment, without padding or digest. */
    ByteBuf data();

    /** Writes the 48-byte header; the data segment length is taken from {@link #data()}. */
    void writeBhs(ByteBuf out);

    @Override
    default int refCnt() {
        return data().refCnt();
    }

    @Override
    default Pdu retain() {
        data().retain();
        return this;
    }

    @Override
    default Pdu retain(int increment) {
        data().retain(increment);
        return this;
    }

    @Override
    default Pdu touch() {
        return this;
    }

    @Override
    default Pdu touch(Object hint) {
        return this;
    }

    @Override
    default boolean release() {
        return data().release();
    }

    @Override
    default boolean release(int decrement) {
        return data().release(decrement);
    }
}
