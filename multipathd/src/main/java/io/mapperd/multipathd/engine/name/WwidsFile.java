package io.mapperd.multipathd.engine.name;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The wwids file, in multipath-tools' format ("/WWID/" per line): the WWIDs that have had a map,
 * which find_multipaths yes/smart/strict treat as multipath devices even with one path.
 */
public final class WwidsFile {
    private static final Logger LOG = LoggerFactory.getLogger(WwidsFile.class);
    private final Path file;
    private final Set<String> wwids = new LinkedHashSet<>();

    private WwidsFile(Path file) {
        this.file = file;
    }

    public static WwidsFile load(Path file) throws IOException {
        WwidsFile w = new WwidsFile(file);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.trim();
                if (l.startsWith("/") && l.endsWith("/") && l.length() > 2) {
                    w.wwids.add(l.substring(1, l.length() - 1));
                } else if (!l.isEmpty() && !l.startsWith("#")) {
                    LOG.warn("{}: ignoring line '{}': want /WWID/", file, l);
                }
            }
        }
        return w;
    }

    public synchronized boolean contains(String wwid) {
        return wwids.contains(wwid);
    }

    /** Records {@code wwid}; writes the file when it is new. */
    public synchronized void add(String wwid) throws IOException {
        if (!wwids.add(wwid)) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder("""
                # Multipath wwids, Version : 1.0
                # NOTE: This file is automatically maintained by multipath and multipathd.
                # You should not need to edit this file in normal circumstances.
                #
                # Valid WWIDs:
                """);
        wwids.forEach(w -> b.append('/').append(w).append("/\n"));
        Path tmp = Files.createTempFile(dir, ".wwids", ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
