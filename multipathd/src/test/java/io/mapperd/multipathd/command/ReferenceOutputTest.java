package io.mapperd.multipathd.command;

import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.Peer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our replies against real multipathd 0.9.4's, byte for byte: the captures of
 * src/test/resources/reference/multipathd (see its INDEX.md), taken in the reference VM over its
 * LIO LUN, and the same state given to our command language through the fixture. Command lines are
 * sent as Debian's multipathd client sends them (each word followed by a blank, words with blanks
 * in double quotes, then a newline).
 */
class ReferenceOutputTest {
    FixtureSan san;
    MultipathdCommands commands;

    @BeforeEach
    void setUp() {
        san = FixtureSan.refvm();
        commands = new MultipathdCommands("test", san, san, List::of);
    }

    /** The command line Debian's client sends for {@code argv}. */
    static String clientLine(String... argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            b.append(a.contains(" ") ? "\"" + a + "\"" : a).append(' ');
        }
        return b.append('\n').toString();
    }

    static String reference(String caseNo) throws IOException {
        return References.out(caseNo);
    }

    String root(String... argv) {
        return commands.handle(clientLine(argv), Peer.self(), AccessPolicy.rootOnly());
    }

    void check(String caseNo, String... argv) throws IOException {
        assertEquals(reference(caseNo), root(argv), "case " + caseNo + ": " + String.join(" ", argv));
    }

    @Test
    void topologyAsMultipathdShowsIt() throws IOException {
        check("02", "show", "topology");
        check("07", "show", "map", "mpatha", "topology");
        check("10", "show", "maps", "topology");
    }

    @Test
    void topologyAsMultipathLlShowsIt() throws IOException {
        Reply r = Reply.parse(root("multipath", "-ll"));
        assertEquals(new Reply(reference("01"), "", 0), r);
    }

    @Test
    void pathsWithTheDefaultFormat() throws IOException {
        check("03", "show", "paths");
    }

    @Test
    void pathsWithEveryWildcard() throws IOException {
        san.tick("sdb", 7);
        san.tick("sda", 6);
        check("11", "show", "paths", "format",
                "%w %i %d %D %p %t %T %s %o %c %C %S %z %M %m %N %n %R %r %a %G %0 %P %I %L");
        check("12", "show", "paths", "raw", "format", "%d|%D|%t|%T");
        check("46", "show", "paths", "format", "%d");
        check("53", "show", "paths", "format", "%d %t %X %%");
    }

    @Test
    void maps() throws IOException {
        check("04", "show", "maps");
        check("20", "list", "multipaths");
        check("08", "show", "maps", "status");
        check("09", "show", "maps", "stats");
        check("13", "show", "maps", "format", "%n %w %d %F %Q %N %r %t %S %f %x %h %A %0 %1 %2 %3 %4 %s %v %p %e %G %g");
        check("14", "show", "maps", "raw", "format", "%n %d %w");
        check("15", "show", "map", "mpatha", "format", "%n %d %S");
    }

    @Test
    void json() throws IOException {
        check("05", "show", "maps", "json");
        check("06", "show", "map", "mpatha", "json");
    }

    @Test
    void pathStatusWildcardsAndDaemon() throws IOException {
        check("16", "show", "path", "sdb");
        check("17", "show", "status");
        check("18", "show", "wildcards");
        assertEquals("pid " + ProcessHandle.current().pid() + " idle\n", root("show", "daemon"));
    }

    @Test
    void helpAndErrorsInMultipathdsWords() throws IOException {
        check("21", "sh", "pa");
        check("22", "foo");
        check("23", "show", "foo");
        check("24", "show");
        check("25", "show", "map");
        check("26", "show", "map", "nosuch", "topology");
        check("49", "switchgroup", "map", "mpatha");
        check("50", "help");
        check("52", "quit");
    }

    @Test
    void failAndReinstateAPath() throws IOException {
        check("27", "fail", "path", "sdb");
        san.tick("sdb", 3);
        check("28", "show", "paths");
        check("30", "show", "maps", "json");
        check("31", "reinstate", "path", "sdb");
        check("32", "fail", "path", "nosuch");
        check("04", "show", "maps");
        assertEquals(List.of("fail sdb", "reinstate sdb"), san.log);
    }

    @Test
    void mapActions() throws IOException {
        check("33", "switchgroup", "map", "mpatha", "group", "2");
        check("36", "disablequeueing", "map", "mpatha");
        check("37", "show", "maps", "format", "%n %Q");
        check("38", "restorequeueing", "map", "mpatha");
        check("39", "show", "maps", "format", "%n %Q");
        check("40", "suspend", "map", "mpatha");
        check("41", "show", "maps", "format", "%n %t");
        check("42", "resume", "map", "mpatha");
        check("43", "reload", "map", "mpatha");
        check("44", "reset", "map", "mpatha");
        check("45", "reconfigure");
        check("47", "del", "path", "nosuch");
        check("48", "add", "path", "nosuch");
        assertEquals(List.of("switchgroup mpatha 2", "disablequeueing mpatha", "restorequeueing mpatha", "suspend mpatha",
                "resume mpatha", "reload mpatha", "reset mpatha", "reconfigure", "add path nosuch"), san.log);
    }
}
