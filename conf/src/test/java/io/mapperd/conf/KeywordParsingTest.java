package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapperd.conf.parse.ConfParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every keyword of every section parses a good value, and a bad value is reported at its file and line. */
class KeywordParsingTest {

    private static final Map<ValueType, String[]> SAMPLES = Map.ofEntries(
            Map.entry(ValueType.UINT, new String[] {"7", "-1"}),
            Map.entry(ValueType.STRING, new String[] {"abc", null}),
            Map.entry(ValueType.SECRET, new String[] {"abc-def-ghi", null}),
            Map.entry(ValueType.ABS_PATH, new String[] {"/var/lib/x", "var/lib/x"}),
            Map.entry(ValueType.NO_SLASH, new String[] {"abc", "a/b"}),
            Map.entry(ValueType.YES_NO, new String[] {"yes", "maybe"}),
            Map.entry(ValueType.YES_NO_UNDEF, new String[] {"no", "maybe"}),
            Map.entry(ValueType.FIND_MULTIPATHS, new String[] {"smart", "maybe"}),
            Map.entry(ValueType.MARGINAL_PATHGROUPS, new String[] {"on", "maybe"}),
            Map.entry(ValueType.PGPOLICY, new String[] {"multibus", "random"}),
            Map.entry(ValueType.FAILBACK, new String[] {"immediate", "never"}),
            Map.entry(ValueType.NO_PATH_RETRY, new String[] {"queue", "forever"}),
            Map.entry(ValueType.RR_WEIGHT, new String[] {"priorities", "heavy"}),
            Map.entry(ValueType.OFF_ZERO_INT, new String[] {"off", "soon"}),
            Map.entry(ValueType.DEV_LOSS, new String[] {"infinity", "soon"}),
            Map.entry(ValueType.OFF_INT, new String[] {"no", "soon"}),
            Map.entry(ValueType.MAX_FDS, new String[] {"max", "lots"}),
            Map.entry(ValueType.LOG_CHECKER_ERR, new String[] {"once", "never"}),
            Map.entry(ValueType.MODE, new String[] {"0644", "999"}),
            Map.entry(ValueType.UID, new String[] {"0", "no-such-user-xyz"}),
            Map.entry(ValueType.GID, new String[] {"0", "no-such-user-xyz"}),
            Map.entry(ValueType.RESERVATION_KEY, new String[] {"0xabc:aptpl", "0xZZ"}),
            Map.entry(ValueType.UID_ATTRS, new String[] {"sd:ID_SERIAL", "nocolon"}),
            Map.entry(ValueType.VPD_VENDOR, new String[] {"hp3par", "acme"}),
            Map.entry(ValueType.PROTOCOL_TYPE, new String[] {"scsi:iscsi", "scsi:bogus"}),
            Map.entry(ValueType.DEPRECATED, new String[] {null, "anything"}),
            Map.entry(ValueType.IGNORED, new String[] {"anything", null}),
            Map.entry(ValueType.ISCSI_ENDPOINT, new String[] {"192.0.2.1:3260", "192.0.2.1:99999"}),
            Map.entry(ValueType.NVME_ENDPOINT, new String[] {"[2001:db8::1]:4420", "host:0"}),
            Map.entry(ValueType.ISCSI_NAME, new String[] {"iqn.2026-01.com.example:t1", "bogus"}),
            Map.entry(ValueType.NQN, new String[] {"nqn.2014-08.org.nvmexpress:uuid:1", "bogus"}));

    private static String good(Keyword k) {
        return switch (k.type()) {
            case INT -> String.valueOf(Math.max(k.min(), 1));
            case ARG_STRING -> k.argCountIndex() == 0 ? "1 queue_mode" : "round-robin 0";
            default -> SAMPLES.get(k.type())[0];
        };
    }

    private static String bad(Keyword k) {
        return switch (k.type()) {
            case INT -> "twelve";
            case ARG_STRING -> k.argCountIndex() == 0 ? "2 queue_mode" : "round-robin";
            default -> SAMPLES.get(k.type())[1];
        };
    }

    /** A file with keyword {@code k} of {@code section} set to {@code value} on line 4. */
    private static String file(Section section, Keyword k, String value) {
        String v = "\t\t" + k.name() + " \"" + value + "\"\n";
        return switch (section) {
            case DEFAULTS -> "# keyword test\n\ndefaults {\n" + v + "}\n";
            case OVERRIDES -> "# keyword test\n\noverrides {\n" + v + "}\n";
            case DEVICE -> "devices {\n\tdevice {\n\t\t# entry\n" + v + "\t}\n}\n";
            case MULTIPATH -> "multipaths {\n\tmultipath {\n\t\t# entry\n" + v + "\t}\n}\n";
            case PROTOCOL -> "overrides {\n\tprotocol {\n\t\t# entry\n" + v + "\t}\n}\n";
            case ISCSI_PORTAL -> "mapperd_transports {\n\tiscsi_portal {\n\t\t# entry\n" + v
                    + (k.name().equals("portal") ? "" : "\t\tportal 192.0.2.9\n") + "\t}\n}\n";
            case NVME_DISCOVERY -> "mapperd_transports {\n\tnvme_discovery {\n\t\t# entry\n" + v
                    + (k.name().equals("address") ? "" : "\t\taddress 192.0.2.9\n") + "\t}\n}\n";
            default -> throw new IllegalArgumentException(section.name());
        };
    }

    private static Settings settingsOf(ConfigFile f, Section section) {
        return switch (section) {
            case DEFAULTS -> f.defaults();
            case OVERRIDES -> f.overrides();
            case DEVICE -> f.devices().getFirst().settings();
            case MULTIPATH -> f.multipaths().getFirst().settings();
            case PROTOCOL -> f.protocols().getFirst().settings();
            case ISCSI_PORTAL -> f.iscsiPortals().getFirst().settings();
            case NVME_DISCOVERY -> f.nvmeDiscoveries().getFirst().settings();
            default -> throw new IllegalArgumentException(section.name());
        };
    }

    private static final List<Section> SECTIONS = List.of(Section.DEFAULTS, Section.DEVICE, Section.OVERRIDES,
            Section.PROTOCOL, Section.MULTIPATH, Section.ISCSI_PORTAL, Section.NVME_DISCOVERY);

    @TestFactory
    Stream<DynamicTest> everyKeywordParsesAGoodValue() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Section s : SECTIONS) {
            for (Keyword k : Keywords.all(s)) {
                if (good(k) == null) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(s.word() + " " + k.name(), () -> {
                    ConfigFile f = ConfParser.parse(file(s, k, good(k)), "kw.conf");
                    assertEquals(List.of(), f.problems().stream()
                            .filter(p -> p.severity() != Severity.NOTICE && p.line() == 4).toList());
                    if (k.type() != ValueType.IGNORED) {
                        assertTrue(settingsOf(f, s).has(k.canonical()), k.name() + " stored");
                    }
                }));
            }
        }
        assertTrue(tests.size() > 190, "keywords covered: " + tests.size());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyBadValueIsReportedWithFileAndLine() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Section s : SECTIONS) {
            for (Keyword k : Keywords.all(s)) {
                if (bad(k) == null) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(s.word() + " " + k.name() + " " + bad(k), () -> {
                    ConfigFile f = ConfParser.parse(file(s, k, bad(k)), "/etc/bad.conf");
                    assertTrue(f.problems().stream().allMatch(p -> p.file().equals("/etc/bad.conf")));
                    List<Problem> ps = f.problems().stream()
                            .filter(p -> p.severity() != Severity.NOTICE && p.line() == 4).toList();
                    assertEquals(1, ps.size(), ps.toString());
                    Problem p = ps.getFirst();
                    assertEquals("/etc/bad.conf", p.file());
                    assertEquals(4, p.line());
                    assertTrue(p.toString().startsWith("/etc/bad.conf:4: "), p.toString());
                    boolean kept = settingsOf(f, s).has(k.canonical())
                            && !"".equals(settingsOf(f, s).value(k.canonical()));
                    assertFalse(kept && !p.message().contains("capping"), "bad value stored: " + p);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> outOfRangeIntegersAreCappedWithAWarning() {
        return Stream.of(
                DynamicTest.dynamicTest("verbosity 9", () -> capped("verbosity", "9", 4L, "too large, capping at 4")),
                DynamicTest.dynamicTest("uxsock_timeout 10", () -> capped("uxsock_timeout", "10", 4000L,
                        "too small, capping at 4000")));
    }

    private static void capped(String kw, String value, long expected, String message) {
        ConfigFile f = ConfParser.parse("defaults {\n\t" + kw + " " + value + "\n}\n", "c.conf");
        assertEquals(expected, f.defaults().value(kw));
        assertEquals("c.conf:2: warning: value for " + kw + " " + message, f.problems().getFirst().toString());
    }
}
