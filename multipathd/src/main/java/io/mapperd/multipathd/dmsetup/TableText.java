package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.TableLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Table text read as dmsetup reads it: one target per line, leading and trailing blanks dropped,
 * empty lines and lines starting with '#' skipped, anything after a '#' inside a line ignored.
 */
final class TableText {
    private TableText() {
    }

    /** A line dmsetup itself cannot read (before anything reaches the device-mapper). */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    /** @param source how dmsetup names the table in errors: "" for --table, a file name, or "on stdin" */
    static List<TableLine> parse(String text, String source) throws BadLine {
        List<TableLine> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int last = lines.length;
        if (last > 0 && lines[last - 1].isEmpty() && last > 1) {
            last--;
        }
        for (int i = 0; i < last; i++) {
            String raw = lines[i].strip();
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            String[] f = raw.split("[ \t\r\f\u000b]+", 4);
            if (f.length < 3 || !unsigned(f[0]) || !unsigned(f[1])) {
                throw new BadLine("Invalid format on line " + (i + 1) + " of table " + source + ".");
            }
            String params = f.length == 4 ? f[3] : "";
            int hash = params.indexOf('#');
            if (hash >= 0) {
                params = params.substring(0, hash);
            }
            List<String> args = params.isBlank() ? List.of() : Arrays.asList(params.strip().split("[ \t\r\f\u000b]+"));
            out.add(new TableLine(i + 1, Long.parseUnsignedLong(f[0]), Long.parseUnsignedLong(f[1]), f[2], args));
        }
        return out;
    }

    private static boolean unsigned(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        try {
            Long.parseUnsignedLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
