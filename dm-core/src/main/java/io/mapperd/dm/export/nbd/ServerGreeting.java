package io.mapperd.dm.export.nbd;

/** NBDMAGIC, IHAVEOPT and the handshake flags: the first thing a client reads (fixed newstyle). */
public record ServerGreeting(int handshakeFlags) implements NbdServerMessage {
}
