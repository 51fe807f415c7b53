package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapperd.conf.parse.ConfParser;
import io.mapperd.conf.parse.ConfWriter;
import io.mapperd.conf.yaml.YamlReader;
import io.mapperd.conf.yaml.YamlWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** conf -> YAML -> conf and YAML -> conf -> YAML give the same model, for the examples and fuzzed files. */
class YamlRoundTripTest {

    static Path examples() {
        Path root = Path.of(System.getenv().getOrDefault("MAPPERD_ROOT", ".."));
        Path p = root.resolve("conf/examples");
        return Files.isDirectory(p) ? p : Path.of("examples");
    }

    private static void roundTrips(ConfigFile conf) {
        assertFalse(conf.refused(), conf.problems().toString());
        ConfigFile viaYaml = YamlReader.parse(YamlWriter.write(conf), "x.yaml");
        assertEquals(List.of(), viaYaml.problems().stream().filter(p -> p.severity() != Severity.NOTICE).toList());
        assertEquals(conf.content(), viaYaml.content());
        ConfigFile back = ConfParser.parse(ConfWriter.write(viaYaml), "x.conf");
        assertEquals(conf.content(), back.content());
        assertEquals(YamlWriter.write(conf), YamlWriter.write(back));
    }

    @TestFactory
    Stream<DynamicTest> examplesRoundTripAndTheirYamlFormIsTheSameModel() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(examples())) {
            for (Path p : s.filter(x -> x.toString().endsWith(".conf")).sorted().toList()) {
                tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                    ConfigFile conf = ConfigLoader.read(p);
                    roundTrips(conf);
                    Path yaml = Path.of(p.toString().replace(".conf", ".yaml"));
                    ConfigFile y = ConfigLoader.read(yaml);
                    assertEquals(List.of(), y.problems());
                    assertEquals(conf.content(), y.content(), "example " + yaml + " says the same as " + p);
                }));
            }
        }
        assertEquals(4, tests.size());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> referenceConfigurationsRoundTrip() {
        return Stream.of("user", "dropin", "allkeywords").map(d -> DynamicTest.dynamicTest(d, () -> {
            ConfigFile f = ConfigLoader.read(Fixtures.path("compat/" + d + "/multipath.conf"));
            roundTrips(f);
        }));
    }

    @Test
    void builtinHardwareTableRoundTrips() {
        ConfigFile f = ConfParser.parse(ConfWriter.write(new ConfigFile("hw", Settings.empty(Section.DEFAULTS),
                List.of(), List.of(), BuiltinConfig.get().hardwareTable(), Settings.empty(Section.OVERRIDES),
                List.of(), List.of(), List.of(), List.of(), List.of())), "hw.conf");
        assertEquals(123, f.devices().size());
        roundTrips(f);
    }

    @Test
    void fuzzedConfigurationsRoundTrip() {
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            roundTrips(ConfParser.parse(RandomConfigs.valid(rnd), "fuzz" + i + ".conf"));
        }
    }

    @Test
    void yamlIsValidatedLikeConf() {
        ConfigFile y = YamlReader.parse("defaults:\n  no_path_retry: forever\n  colour: blue\n", "bad.yaml");
        ConfigFile c = ConfParser.parse("defaults {\n\tno_path_retry forever\n\tcolour blue\n}\n", "bad.conf");
        assertEquals(c.problems().stream().map(Problem::message).toList(),
                y.problems().stream().map(Problem::message).toList());
        assertEquals("bad.yaml:2: warning: invalid value for no_path_retry: \"forever\"", y.problems().getFirst().toString());
        assertTrue(YamlReader.parse("defaults: [\n", "broken.yaml").refused());
    }
}
