package io.mapperd.transport.iscsi.pdu;

import io.netty.handler.codec.CorruptedFrameException;

/** A PDU on the wire that breaks the protocol: the connection cannot continue. */
public final class PduException extends CorruptedFrameException {
    public PduException(String message) {
        super(message);
    }
}
