package io.mapperd.multipathd.dmsetup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * `dmsetup info -c`: libdm's report layout. Each column is as wide as its defined width, its
 * heading or its widest value; numbers are right-aligned, text left-aligned; every field is padded
 * (the last one too) and fields are separated by one blank. Nothing is printed without rows.
 */
final class InfoReport {
    /** One column: id (for -o), heading, minimum width, numeric, value. */
    record Field(String id, String heading, int width, boolean number, Function<DeviceInfo, String> value) {
    }

    static final String DEFAULT_FIELDS = "name,major,minor,attr,open,segments,events,uuid";

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    static {
        add(new Field("name", "Name", 16, false, DeviceInfo::name));
        add(new Field("uuid", "UUID", 32, false, DeviceInfo::uuid));
        add(new Field("read_ahead", "RAhead", 6, true, i -> Long.toString(i.readAhead())));
        add(new Field("attr", "Stat", 4, false, DeviceInfo::attr));
        add(new Field("tables_loaded", "Tables", 6, false,
                i -> i.live() ? (i.inactive() ? "Both" : "Live") : (i.inactive() ? "Inactive" : "None")));
        add(new Field("suspended", "Suspended", 9, false, i -> i.suspended() ? "Suspended" : "Active"));
        add(new Field("readonly", "Read-only", 9, false, i -> i.readOnly() ? "Read-only" : "Writeable"));
        add(new Field("devno", "DevNo", 5, false, i -> i.devT().toString()));
        add(new Field("major", "Maj", 3, true, i -> Integer.toString(i.devT().major())));
        add(new Field("minor", "Min", 3, true, i -> Integer.toString(i.devT().minor())));
        add(new Field("open", "Open", 4, true, i -> Integer.toString(i.openCount())));
        add(new Field("segments", "Targ", 4, true, i -> Integer.toString(i.targetCount())));
        add(new Field("events", "Event", 6, true, i -> Long.toString(i.eventNr())));
    }

    private static void add(Field f) {
        FIELDS.put(f.id(), f);
    }

    private final List<Field> columns;
    private final boolean headings;
    private final String separator;
    private final List<DeviceInfo> rows = new ArrayList<>();

    private InfoReport(List<Field> columns, boolean headings, String separator) {
        this.columns = columns;
        this.headings = headings;
        this.separator = separator;
    }

    /** @throws IllegalArgumentException naming an unknown field */
    static InfoReport of(String fields, boolean headings, String separator) {
        String spec = fields == null ? DEFAULT_FIELDS : fields.startsWith("+") ? DEFAULT_FIELDS + "," + fields.substring(1) : fields;
        List<Field> cols = new ArrayList<>();
        for (String id : spec.split(",")) {
            Field f = FIELDS.get(id.strip());
            if (f == null) {
                throw new IllegalArgumentException("Unrecognised field: " + id.strip());
            }
            cols.add(f);
        }
        return new InfoReport(cols, headings, separator == null ? " " : separator);
    }

    void add(DeviceInfo info) {
        rows.add(info);
    }

    void write(StringBuilder out) {
        if (rows.isEmpty()) {
            return;
        }
        boolean aligned = separator.equals(" ");
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columns.get(c).width();
            for (DeviceInfo r : rows) {
                width[c] = Math.max(width[c], columns.get(c).value().apply(r).length());
            }
        }
        if (headings) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    out.append(separator);
                }
                out.append(aligned ? pad(columns.get(c).heading(), width[c], false) : columns.get(c).heading());
            }
            out.append('\n');
        }
        for (DeviceInfo r : rows) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    out.append(separator);
                }
                String v = columns.get(c).value().apply(r);
                out.append(aligned ? pad(v, width[c], columns.get(c).number()) : v);
            }
            out.append('\n');
        }
    }

    private static String pad(String s, int width, boolean right) {
        String f = s.length() > width ? s.substring(0, width) : s;
        String blanks = " ".repeat(width - f.length());
        return right ? blanks + f : f + blanks;
    }
}
