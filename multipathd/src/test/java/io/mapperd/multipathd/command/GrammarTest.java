package io.mapperd.multipathd.command;

import io.mapperd.multipathd.print.Sizes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mapperd.multipathd.command.Keyword.Code.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** multipathd's word matching, quoting and size printing on cases the reference capture has no line for. */
class GrammarTest {
    @Test
    void abbreviationsAndAmbiguity() {
        assertNull(Keyword.find("sh"), "sh is show or shutdown");
        assertEquals(LIST, Keyword.find("sho").code());
        assertNull(Keyword.find("multip"), "multipath or multipaths");
        assertEquals(MAP, Keyword.find("multipath").code());
        assertEquals(MAPS, Keyword.find("multipaths").code());
        assertEquals(PATHS, Keyword.find("paths").code());
        assertEquals(SWITCH, Keyword.find("switchg").code());
        assertNull(Keyword.find("sw"), "sw is switch or switchgroup (two words, one code: still ambiguous)");
        assertEquals(DISABLEQ, Keyword.find("disableq").code());
    }

    @Test
    void quotedFormatIsOneParameter() {
        ParsedCommand c = ParsedCommand.parse("show paths format \"%d %t\" \n");
        assertEquals(ParsedCommand.Error.NONE, c.error());
        assertEquals(Handler.LIST_PATHS_FMT, Handler.find(c.fingerprint()));
        assertEquals("%d %t", c.param(FMT));
        assertEquals("say \"hi\"", ParsedCommand.parse("show paths format \"say \"\"hi\"\"\"").param(FMT));
        assertEquals(List.of("show", "maps"), CommandWords.split("  show maps # a comment"));
        assertNull(CommandWords.split("# only a comment"));
    }

    @Test
    void errorsAsMultipathdClassifiesThem() {
        assertEquals(ParsedCommand.Error.NOT_FOUND, ParsedCommand.parse("show bogus paths").error());
        assertEquals(ParsedCommand.Error.NOT_FOUND_AT_END, ParsedCommand.parse("show paths bogus").error());
        assertEquals(ParsedCommand.Error.MISSING_ARGUMENT, ParsedCommand.parse("fail path").error());
        assertEquals(ParsedCommand.Error.EMPTY, ParsedCommand.parse("   ").error());
        assertEquals(Handler.SWITCH_GROUP, Handler.find(ParsedCommand.parse("switch map mpatha gr 2").fingerprint()));
        assertNull(Handler.find(ParsedCommand.parse("show paths paths paths paths").fingerprint()));
    }

    @Test
    void sizesRoundAsGlibcDoes() {
        assertEquals("64M", Sizes.of(131072));
        assertEquals("2.2M", Sizes.of(4608), "2.25 is a tie: glibc rounds to even");
        assertEquals("2.8M", Sizes.of(5632), "2.75 rounds to even too");
        assertEquals("1.0G", Sizes.of(2L * 1024 * 1024));
        assertEquals("512K", Sizes.of(1024));
        assertEquals("9.8G", Sizes.of(20_480_000L));
        assertEquals("2048P", Sizes.of(2048L * 1024 * 1024 * 1024 * 1024 * 2));
    }
}
