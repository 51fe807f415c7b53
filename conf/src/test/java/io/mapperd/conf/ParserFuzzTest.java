package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mapperd.conf.parse.ConfParser;
import io.mapperd.conf.yaml.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Random and mutated files never make the readers throw or hang: problems are reported instead. */
class ParserFuzzTest {
    private static final String ALPHABET = "{}\"!# \t\n\\abcdefghijklmnopqrstuvwxyz_0123456789:-[]ÿ\r";

    private static List<String> seeds() throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(YamlRoundTripTest.examples())) {
            for (Path p : s.sorted().toList()) {
                out.add(Files.readString(p));
            }
        }
        out.add(Fixtures.text("compat/allkeywords/multipath.conf"));
        out.add(Fixtures.text("compat/warnings/multipath.conf"));
        return out;
    }

    private static void survives(String text) {
        ConfigFile c = ConfParser.parse(text, "f.conf");
        assertNotNull(c);
        ConfigFile y = YamlReader.parse(text, "f.yaml");
        assertNotNull(y);
        try {
            assertNotNull(ConfigPrinter.showConfig(ConfigLoader.merge(List.of(c))));
        } catch (ConfigException refused) {
            assertNotNull(refused.problems());
        }
    }

    @Test
    void randomTextIsReportedNeverThrown() {
        Random rnd = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 2000; i++) {
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(400);
                for (int j = 0; j < n; j++) {
                    sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                }
                survives(sb.toString());
            }
        });
    }

    @Test
    void mutatedFilesAreReportedNeverThrown() throws Exception {
        List<String> seeds = seeds();
        Random rnd = new Random(4242);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 1500; i++) {
                StringBuilder sb = new StringBuilder(seeds.get(rnd.nextInt(seeds.size())));
                for (int m = 1 + rnd.nextInt(8); m > 0 && !sb.isEmpty(); m--) {
                    int at = rnd.nextInt(sb.length());
                    switch (rnd.nextInt(4)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                        case 2 -> sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                        default -> sb.delete(at, Math.min(sb.length(), at + rnd.nextInt(40)));
                    }
                }
                survives(sb.toString());
            }
        });
    }
}
