package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/** A PDU that carries data: its reference count is its data buffer's. */
public interface DataPdu extends ReferenceCounted {
    ByteBuf data();

    @Override
    default int refCnt() {
        return data().refCnt();
    }

    @Override
    default DataPdu retain() {
        data().retain();
        return this;
    }

    @Override
    default DataPdu retain(int increment) {
        data().retain(increment);
        return this;
    }

    @Override
    default DataPdu touch() {
        data().touch();
        return this;
    }

    @Override
    default DataPdu touch(Object hint) {
        data().touch(hint);
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
