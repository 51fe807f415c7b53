package io.mapperd.transport.nvmetcp.pdu;

/**
 * A fatal NVMe/TCP transport error found in received PDUs: the connection must be terminated,
 * with a TermReq carrying {@link #fes()} and {@link #fei()}.
 */
public final class NvmeTcpProtocolException extends RuntimeException {
    private final int fes;
    private final long fei;

    public NvmeTcpProtocolException(int fes, long fei, String message) {
        super(message, null, false, false);
        this.fes = fes;
        this.fei = fei;
    }

    public int fes() {
        return fes;
    }

    public long fei() {
        return fei;
    }
}
