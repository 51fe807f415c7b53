package io.mapperd.multipathd.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Lays out a sysfs tree described by a resource (sysfs/NAME.tree) under a directory: attribute
 * files with text or bytes, and the kernel's relative symlinks. The trees mirror real hosts.
 */
public final class SysfsTree {
    private SysfsTree() {
    }

    public static Path build(String name, Path into) throws IOException {
        Path root = into.resolve(name);
        String text;
        try (InputStream in = SysfsTree.class.getResourceAsStream("/sysfs/" + name + ".tree")) {
            if (in == null) {
                throw new IOException("no resource sysfs/" + name + ".tree");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split(" ", 3);
            if (w.length < 3) {
                throw new IOException(name + ".tree:" + n + ": want KIND PATH VALUE");
            }
            Path p = root.resolve(w[1]);
            Files.createDirectories(p.getParent());
            switch (w[0]) {
                case "file" -> Files.writeString(p, w[2] + "\n");
                case "hex" -> Files.write(p, HexFormat.of().parseHex(w[2].trim()));
                case "link" -> Files.createSymbolicLink(p, Path.of(w[2]));
                default -> throw new IOException(name + ".tree:" + n + ": unknown kind " + w[0]);
            }
        }
        return root;
    }
}
