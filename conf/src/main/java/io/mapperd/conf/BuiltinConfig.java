package io.mapperd.conf;

import io.mapperd.conf.yaml.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * mapperd's built-in configuration, read from two resources: {@code builtin-defaults.yaml} (the
 * default of every defaults keyword and the blacklist rules always added) and {@code hwtable.yaml}
 * (the built-in hardware table).
 */
public record BuiltinConfig(Settings defaults, List<BlacklistRule> blacklist, List<BlacklistRule> exceptions,
                            List<DeviceEntry> hardwareTable) {

    private static final BuiltinConfig INSTANCE = load();

    public static BuiltinConfig get() {
        return INSTANCE;
    }

    private static BuiltinConfig load() {
        ConfigFile d = read("builtin-defaults.yaml");
        ConfigFile h = read("hwtable.yaml");
        return new BuiltinConfig(d.defaults(), d.blacklist(), d.exceptions(), h.devices());
    }

    private static ConfigFile read(String resource) {
        try (InputStream in = BuiltinConfig.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource io/mapperd/conf/" + resource);
            }
            ConfigFile f = YamlReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, true);
            if (!f.problems().isEmpty()) {
                throw new IllegalStateException("built-in resource " + resource + " is invalid: " + f.problems());
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
