package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapperd.conf.parse.ConfParser;
import io.mapperd.conf.parse.LineTokenizer;
import io.mapperd.conf.parse.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Syntax problems are reported with file and line; what multipath-tools refuses is refused. */
class ParserErrorsTest {

    private static List<String> problems(String text) {
        return ConfParser.parse(text, "m.conf").problems().stream().map(Problem::toString).toList();
    }

    @Test
    void unknownKeywordIsWarnedWithItsSectionAndIgnored() {
        assertEquals(List.of("m.conf:3: warning: invalid keyword in the defaults section: colour"),
                problems("defaults {\n\tpolling_interval 3\n\tcolour blue\n}\n"));
        // an unknown section opens no level, so its closing brace is unmatched, as in multipath-tools
        assertEquals(List.of("m.conf:1: warning: invalid keyword: colours", "m.conf:2: warning: unmatched '}'",
                "m.conf:2: warning: invalid keyword: }"), problems("colours {\n}\n"));
    }

    @Test
    void unmatchedAndMissingBracesAreReported() {
        assertEquals(List.of("m.conf:3: warning: unmatched '}'", "m.conf:3: warning: invalid keyword: }"),
                problems("defaults {\n}\n}\n"));
        assertEquals(List.of("m.conf:2: warning: missing '}' at end of m.conf"), problems("defaults {\n\tverbosity 3\n"));
    }

    @Test
    void duplicateKeywordWarnsAndTheLaterValueWins() {
        ConfigFile f = ConfParser.parse("defaults {\n\tpolling_interval 3\n\tpolling_interval 9\n}\n", "m.conf");
        assertEquals("m.conf:3: warning: duplicate keyword: polling_interval", f.problems().getFirst().toString());
        assertEquals(9L, f.defaults().value("polling_interval"));
    }

    @Test
    void quotingFollowsMultipathTools() {
        assertEquals(List.of(Token.word("alias"), Token.QUOTE, Token.word("a \"b\" c"), Token.QUOTE),
                LineTokenizer.tokenize("  alias \"a \"\"b\"\" c\" # comment"));
        assertEquals(List.of(Token.word("devnode")), LineTokenizer.tokenize("devnode !^sd # an unquoted ! starts a comment"));
        assertEquals(List.of(), LineTokenizer.tokenize("! whole line comment"));
        assertEquals(List.of("m.conf:2: warning: missing closing quotes"),
                problems("defaults {\n\talias_prefix \"abc\n}\n"));
        assertEquals("", ConfParser.parse("defaults {\n\tprio_args \"\"\n}\n", "m.conf").defaults().value("prio_args"));
    }

    @Test
    void missingValueSkipsTheLine() {
        assertEquals(List.of("m.conf:2: warning: missing value for option 'verbosity'"),
                problems("defaults {\n\tverbosity\n}\n"));
    }

    @Test
    void invalidBlacklistRegexRefusesTheConfigurationWithFileAndLine() {
        ConfigFile f = ConfParser.parse("blacklist {\n\twwid \"^(36\"\n}\n", "/etc/multipath.conf");
        assertTrue(f.refused());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.merge(List.of(f)));
        assertTrue(e.getMessage().contains("/etc/multipath.conf:2: error: invalid regular expression for wwid"),
                e.getMessage());
    }

    @Test
    void invalidReservationKeyRefusesTheConfiguration() {
        ConfigFile f = ConfParser.parse("defaults {\n\treservation_key 0xnothex\n}\n", "m.conf");
        assertEquals(List.of("m.conf:2: error: invalid value for reservation_key: \"0xnothex\""),
                f.problems().stream().map(Problem::toString).toList());
        assertThrows(ConfigException.class, () -> ConfigLoader.merge(List.of(f)));
    }

    @Test
    void aliasKeywordCheckerStoresAsPathChecker() {
        ConfigFile f = ConfParser.parse("defaults {\n\tchecker directio\n}\n", "m.conf");
        assertEquals("directio", f.defaults().value("path_checker"));
    }

    @Test
    void deviceWithoutVendorIsDroppedWithAWarning() throws Exception {
        MultipathConfig c = Fixtures.load("devices {\n\tdevice {\n\t\tproduct \"X\"\n\t}\n}\n");
        assertEquals(BuiltinConfig.get().hardwareTable().size(), c.devices().size());
        assertEquals("test.conf:2: warning: device config in test.conf missing vendor or product parameter",
                c.problems().getFirst().toString());
    }
}
