package io.mapperd.multipathd.engine.name;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user_friendly_names bindings file, in multipath-tools' format ("ALIAS WWID" per line,
 * '#' comments): each WWID keeps the name it was given across restarts; a new WWID gets the lowest
 * free PREFIX + letters name (mpatha ... mpathz, mpathaa ...). Written atomically on every change.
 */
public final class Bindings {
    private static final Logger LOG = LoggerFactory.getLogger(Bindings.class);
    static final String HEADER = """
            # Multipath bindings, Version : 1.0
            # NOTE: this file is automatically maintained by the multipath program.
            # You should not need to edit this file in normal circumstances.
            #
            # Format:
            # alias wwid
            #
            """;

    private final Path file;
    private final Map<String, String> aliasByWwid = new LinkedHashMap<>();

    private Bindings(Path file) {
        this.file = file;
    }

    /** Reads {@code file}; a missing file is an empty one. Bad lines are skipped with a warning. */
    public static Bindings load(Path file) throws IOException {
        Bindings b = new Bindings(file);
        if (Files.exists(file)) {
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String l = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                String[] w = l.trim().split("\\s+");
                if (w.length == 1 && w[0].isEmpty()) {
                    continue;
                }
                if (w.length != 2) {
                    LOG.warn("{}:{}: ignoring line '{}': want ALIAS WWID", file, n, line.trim());
                    continue;
                }
                if (b.aliasByWwid.containsValue(w[0]) || b.aliasByWwid.containsKey(w[1])) {
                    LOG.warn("{}:{}: ignoring duplicate binding {} {}", file, n, w[0], w[1]);
                    continue;
                }
                b.aliasByWwid.put(w[1], w[0]);
            }
        }
        return b;
    }

    public Path file() {
        return file;
    }

    public synchronized String lookup(String wwid) {
        return aliasByWwid.get(wwid);
    }

    /** The WWID bound to {@code alias}, or null. */
    public synchronized String wwidOf(String alias) {
        for (Map.Entry<String, String> e : aliasByWwid.entrySet()) {
            if (e.getValue().equals(alias)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The alias bound to {@code wwid}, binding the lowest free PREFIX name first when there is none. */
    public synchronized String bind(String wwid, String prefix) throws IOException {
        return bind(wwid, prefix, true);
    }

    /**
     * As {@link #bind(String, String)}; with {@code save} false the new binding is kept in memory
     * only (a dry run names its maps as a real run would, and leaves the file as it was).
     */
    public synchronized String bind(String wwid, String prefix, boolean save) throws IOException {
        String a = aliasByWwid.get(wwid);
        if (a != null) {
            return a;
        }
        for (int i = 0; ; i++) {
            String candidate = prefix + letters(i);
            if (!aliasByWwid.containsValue(candidate)) {
                aliasByWwid.put(wwid, candidate);
                if (save) {
                    save();
                }
                return candidate;
            }
        }
    }

    /** 0 → a, 25 → z, 26 → aa. */
    static String letters(int index) {
        StringBuilder b = new StringBuilder();
        int n = index;
        do {
            b.insert(0, (char) ('a' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return b.toString();
    }

    private void save() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder(HEADER);
        aliasByWwid.forEach((w, a) -> b.append(a).append(' ').append(w).append('\n'));
        Path tmp = Files.createTempFile(dir, ".bindings", ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
