package io.mapperd.dm.export.nbd;

/** The answer to NBD_OPT_EXPORT_NAME: size, transmission flags, and 124 zeroes unless NO_ZEROES. */
public record ExportNameReply(long size, int transmissionFlags, boolean zeroes) implements NbdServerMessage {
}
