package io.mapperd.multipathd.metrics;

import io.mapperd.dm.io.BioOp;

import java.util.Locale;

/** The bounded `direction` label: one value per bio operation (read, write, flush, discard, write_zeroes). */
final class Directions {
    static final BioOp[] OPS = BioOp.values();

    private Directions() {
    }

    static String label(BioOp op) {
        return op.name().toLowerCase(Locale.ROOT);
    }
}
