package io.mapperd.multipathd.print;

import java.util.function.Function;

/**
 * One {@code %X} of multipath-tools' format strings: its letter, the column header `show` prints
 * for it, and how to print the value from a view.
 */
public record Wildcard<T>(char letter, String header, Function<T, String> value) {
}
