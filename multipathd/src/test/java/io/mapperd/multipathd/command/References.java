package io.mapperd.multipathd.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The real multipathd's outputs kept in src/test/resources/reference/multipathd (see its INDEX.md). */
public final class References {
    private References() {
    }

    /** The stdout of reference case {@code caseNo} ("02"). */
    public static String out(String caseNo) throws IOException {
        try (InputStream in = References.class.getResourceAsStream("/reference/multipathd/" + caseNo + ".out")) {
            if (in == null) {
                throw new IOException("no reference case " + caseNo);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
