package io.mapperd.dm.export.nbd;

/** NBD_REPLY_TYPE_ERROR with the DONE flag: the error and a message for humans. */
public record ErrorChunk(long cookie, int error, String message) implements NbdServerMessage {
}
