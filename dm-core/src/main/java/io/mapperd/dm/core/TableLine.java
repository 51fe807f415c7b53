package io.mapperd.dm.core;

import java.util.ArrayList;
import java.util.List;

/** One `<start> <length> <target> <args>` line of a table, as given. */
public record TableLine(int lineNo, long start, long length, String type, List<String> args) {
    public TableLine {
        args = List.copyOf(args);
    }

    /**
     * Splits table text into lines as dmsetup does: one target per line, blank lines and lines
     * starting with '#' ignored; start and length are unsigned decimals.
     */
    public static List<TableLine> parse(String text) throws DmException {
        List<TableLine> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].strip();
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            String[] f = raw.split("\\s+");
            int lineNo = i + 1;
            if (f.length < 3) {
                throw new DmException(DmException.EINVAL, "Invalid format on line " + lineNo + " of table");
            }
            long start;
            long length;
            try {
                start = TargetArgs.parseUnsigned(f[0], 0, Long.MAX_VALUE, "");
                length = TargetArgs.parseUnsigned(f[1], 0, Long.MAX_VALUE, "");
            } catch (TargetException e) {
                throw new DmException(DmException.EINVAL, "Invalid format on line " + lineNo + " of table");
            }
            out.add(new TableLine(lineNo, start, length, f[2], List.of(f).subList(3, f.length)));
        }
        return out;
    }

    public String params() {
        return String.join(" ", args);
    }
}
