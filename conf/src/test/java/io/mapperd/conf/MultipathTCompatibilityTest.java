package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our {@code multipath -t} against the output of Debian's multipath-tools 0.9.4, captured into
 * compat/ by compat/capture.sh (so the test needs no multipath binary).
 */
class MultipathTCompatibilityTest {

    @Test
    void builtinConfigurationPrintsExactlyAsMultipathT() throws Exception {
        assertEquals(Fixtures.text("compat/default.out"), ConfigPrinter.showConfig(ConfigLoader.builtin()));
    }

    @Test
    void everyBuiltinDeviceEntryAgreesWithMultipathT() throws Exception {
        List<String> expected = deviceEntries(Fixtures.text("compat/default.out"));
        List<String> ours = deviceEntries(ConfigPrinter.showConfig(ConfigLoader.builtin()));
        assertEquals(expected.size(), ours.size(), "number of hardware table entries");
        assertEquals(123, BuiltinConfig.get().hardwareTable().size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), ours.get(i), "hardware table entry " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"user", "dropin", "warnings"})
    void userConfigurationPrintsExactlyAsMultipathT(String dir) throws Exception {
        assertEquals(Fixtures.text("compat/" + dir + "/expected.out"), ourOutput(dir));
    }

    /**
     * Debian's build pins force_sync to yes and retrigger_tries to 0 whatever the file says;
     * upstream multipath-tools (and mapperd) honour the file. Every other line is identical.
     */
    @Test
    void everyKeywordConfigurationPrintsAsMultipathTExceptDebianPins() throws Exception {
        String[] expected = Fixtures.text("compat/allkeywords/expected.out").split("\n", -1);
        String[] ours = ourOutput("allkeywords").split("\n", -1);
        assertEquals(expected.length, ours.length);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            if (!expected[i].equals(ours[i])) {
                differences.add(expected[i] + " -> " + ours[i]);
            }
        }
        assertEquals(List.of("\tforce_sync \"yes\" -> \tforce_sync \"no\"",
                "\tretrigger_tries 0 -> \tretrigger_tries 5"), differences);
    }

    @Test
    void warningsNameTheSameLinesAsMultipathTools() throws Exception {
        Path conf = Fixtures.path("compat/warnings/multipath.conf");
        ConfigFile f = ConfigLoader.read(conf);
        Map<Integer, List<String>> ours = new LinkedHashMap<>();
        for (Problem p : f.problems()) {
            ours.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(p.message());
        }
        Pattern byLine = Pattern.compile("\\| /etc/multipath.conf line (\\d+)[,:] (.*)");
        Pattern onLine = Pattern.compile("\\| (.*?) (?:on|at) line (\\d+) of /etc/multipath.conf");
        int checked = 0;
        for (String line : Fixtures.text("compat/warnings/expected.err").split("\n")) {
            Matcher m = byLine.matcher(line);
            Matcher o = onLine.matcher(line);
            if (m.find()) {
                int n = Integer.parseInt(m.group(1));
                assertTrue(ours.getOrDefault(n, List.of()).contains(m.group(2)),
                        "line " + n + ": expected \"" + m.group(2) + "\", ours " + ours.get(n));
                checked++;
            } else if (o.find()) {
                int n = Integer.parseInt(o.group(2));
                assertTrue(ours.getOrDefault(n, List.of()).contains(o.group(1)),
                        "line " + n + ": expected \"" + o.group(1) + "\", ours " + ours.get(n));
                checked++;
            }
        }
        assertEquals(18, checked);
    }

    private static String ourOutput(String dir) throws Exception {
        Path base = Fixtures.path("compat/" + dir + "/multipath.conf").getParent();
        return ConfigPrinter.showConfig(ConfigLoader.load(base.resolve("multipath.conf"), base.resolve("conf.d")));
    }

    private static List<String> deviceEntries(String config) {
        String devices = config.substring(config.indexOf("devices {\n"), config.indexOf("overrides {\n"));
        List<String> out = new ArrayList<>();
        for (String part : devices.split("\tdevice \\{\n")) {
            if (!part.startsWith("devices")) {
                out.add(part);
            }
        }
        return out;
    }
}
