package io.mapperd.dm.export.nbd;

/** The client broke the protocol in a way that leaves no reply to give: the connection is closed. */
public final class NbdProtocolException extends RuntimeException {
    public NbdProtocolException(String message) {
        super(message, null, false, false);
    }
}
