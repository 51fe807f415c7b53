package io.mapperd.dm.export.nbd;

/** The 32-bit client flags sent after the server's greeting (NBD_FLAG_C_*). */
public record ClientFlags(int flags) {
    public boolean fixedNewstyle() {
        return (flags & NbdProtocol.FLAG_C_FIXED_NEWSTYLE) != 0;
    }

    public boolean noZeroes() {
        return (flags & NbdProtocol.FLAG_C_NO_ZEROES) != 0;
    }

    /** Bits this server does not know; the protocol says to disconnect then. */
    public int unknownBits() {
        return flags & ~(NbdProtocol.FLAG_C_FIXED_NEWSTYLE | NbdProtocol.FLAG_C_NO_ZEROES);
    }
}
