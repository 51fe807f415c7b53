package io.mapperd.dm.export.nbd;

/**
 * An option the decoder could not accept (unknown, malformed, too long): the handler answers it
 * with {@code error} (an NBD_REP_ERR_*) and the message; its data has been skipped.
 */
public record RejectedOption(int option, int error, String message) {
}
