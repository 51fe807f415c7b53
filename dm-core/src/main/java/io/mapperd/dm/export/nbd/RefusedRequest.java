package io.mapperd.dm.export.nbd;

/** A request the decoder refused before reading its payload (which it then skips): reply {@code error}. */
public record RefusedRequest(int type, long cookie, int error, String message) {
}
