package io.mapperd.conf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapperd.conf.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conf check / conf convert / multipath -t entry points, as the launcher calls them. */
class ConfCommandsTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ConfCommands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkListsEveryProblemWithFileAndLine() throws Exception {
        Path f = tmp.resolve("m.conf");
        Files.writeString(f, "defaults {\n\tpolling_interval x\n\tcolour red\n}\n");
        Run r = run("conf", "check", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains(f + ":2: warning: invalid value for polling_interval: \"x\""), r.out());
        assertTrue(r.out().contains(f + ":3: warning: invalid keyword in the defaults section: colour"), r.out());
    }

    @Test
    void checkAcceptsAGoodFile() throws Exception {
        Path f = tmp.resolve("ok.conf");
        Files.writeString(f, "defaults {\n\tuser_friendly_names yes\n}\n");
        Run r = run("conf", "check", f.toString());
        assertEquals(0, r.code(), r.out());
        assertEquals(f + ": OK\n", r.out());
    }

    @Test
    void convertGoesBothWaysAndKeepsTheModel() throws Exception {
        Path conf = tmp.resolve("a.conf");
        Files.writeString(conf, "defaults {\n\tno_path_retry queue\n}\nmultipaths {\n\tmultipath {\n"
                + "\t\twwid 3600\n\t\talias db\n\t}\n}\n");
        Path yaml = tmp.resolve("a.yaml");
        assertEquals(0, run("conf", "convert", conf.toString(), "-o", yaml.toString()).code());
        Path back = tmp.resolve("b.conf");
        assertEquals(0, run("conf", "convert", yaml.toString(), "-o", back.toString(), "--to", "conf").code());
        assertEquals(ConfigLoader.read(conf).content(), ConfigLoader.read(back).content());
        assertEquals(ConfigLoader.read(conf).content(), ConfigLoader.read(yaml).content());
    }

    @Test
    void multipathTPrintsTheMergedConfiguration() throws Exception {
        Path f = tmp.resolve("m.conf");
        Files.writeString(f, "defaults {\n\tpolling_interval 10\n}\n");
        Run r = run("multipath", "-t", "-c", f.toString(), "--config-dir", tmp.resolve("none").toString());
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("defaults {\n\tverbosity 2\n\tpolling_interval 10\n\tmax_polling_interval 40\n"));
    }

    @Test
    void refusedConfigurationFailsMultipathT() throws Exception {
        Path f = tmp.resolve("m.conf");
        Files.writeString(f, "blacklist {\n\tdevnode \"(\"\n}\n");
        Run r = run("multipath", "-t", "-c", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(f + ":2: error: invalid regular expression for devnode"), r.err());
    }

    @Test
    void unknownVerbPrintsUsage() {
        Run r = run("conf", "frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("usage:"));
    }
}
