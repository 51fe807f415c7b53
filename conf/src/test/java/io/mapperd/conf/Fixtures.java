package io.mapperd.conf;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Access to the test resources (the captured reference output of Debian's multipath-tools). */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String name) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static MultipathConfig load(String conf) throws ConfigException {
        return ConfigLoader.merge(java.util.List.of(ConfigLoader.parse(conf, "test.conf")));
    }
}
