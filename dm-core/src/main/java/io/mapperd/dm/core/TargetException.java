package io.mapperd.dm.core;

/** A target refused its arguments or a message; the text is the kernel's ti->error. */
public final class TargetException extends Exception {
    public TargetException(String message) {
        super(message, null, false, false);
    }
}
