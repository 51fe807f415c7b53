package io.mapperd.dm.export.nbd;

/** NBD_OPT_ABORT: the client ends the handshake. */
public record AbortOption() {
}
