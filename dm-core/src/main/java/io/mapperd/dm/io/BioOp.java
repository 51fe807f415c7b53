package io.mapperd.dm.io;

/** What a bio asks of a device, as the kernel's REQ_OP_*. */
public enum BioOp {
    READ, WRITE, FLUSH, DISCARD, WRITE_ZEROES;

    public boolean isWrite() {
        return this != READ;
    }

    /** Operations that carry a data buffer. */
    public boolean hasData() {
        return this == READ || this == WRITE;
    }
}
