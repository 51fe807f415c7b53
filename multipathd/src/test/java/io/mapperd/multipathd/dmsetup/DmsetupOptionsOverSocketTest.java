package io.mapperd.multipathd.dmsetup;

import io.mapperd.multipathd.TestDaemon;
import io.mapperd.multipathd.command.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * dmsetup's -o options beyond what the reference captures cover (ls --tree's compact,
 * blkdevname, attributes; names for ls and deps; --inactive; a device without a disk), with the
 * output dmsetup 1.02.185 prints for them, through bin/dmsetup's client and the socket.
 */
class DmsetupOptionsOverSocketTest {
    @TempDir
    Path dir;
    TestDaemon d;
    Path a;

    @BeforeEach
    void start() throws IOException {
        d = new TestDaemon(dir);
        a = dir.resolve("a.img");
        try (RandomAccessFile f = new RandomAccessFile(a.toFile(), "rw")) {
            f.setLength(8 << 20);
        }
        ok(d.dmsetup("create", "base", "--table", "0 8192 linear " + a + " 0"), "");
        ok(d.dmsetup("create", "top", "--uuid", "T-1", "--table", "0 4096 linear /dev/mapper/base 0"), "");
        ok(d.dmsetup("create", "z", "--table", "0 8 zero"), "");
    }

    @AfterEach
    void stop() {
        d.close();
    }

    static void ok(Reply r, String out) {
        assertEquals(new Reply(out, "", 0), r);
    }

    @Test
    void treeCompactPutsChildrenOnTheParentsLine() {
        ok(d.dmsetup("ls", "--tree", "-o", "compact"), "top (253:1)---base (253:0)--- (7:0)\nz (253:2)\n");
    }

    @Test
    void treeWithKernelNamesAttributesAndWithoutNumbers() {
        ok(d.dmsetup("ls", "--tree", "-o", "blkdevname"), """
                top <dm-1> (253:1)
                 `-base <dm-0> (253:0)
                    `- <loop0> (7:0)
                z <dm-2> (253:2)
                """);
        ok(d.dmsetup("ls", "--tree", "-o", "active,rw,open,uuid"), """
                top (253:1) [ACTIVE, RW, 0, T-1]
                 `-base (253:0) [ACTIVE, RW, 1, ]
                    `- (7:0)
                z (253:2) [ACTIVE, RW, 0, ]
                """);
        ok(d.dmsetup("ls", "--tree", "-o", "nodevice"), "top\n `-base\nz\n");
        ok(d.dmsetup("ls", "--tree", "-o", "inverted,ascii"), """
                 (7:0)
                 `-base (253:0)
                    `-top (253:1)
                z (253:2)
                """);
    }

    @Test
    void unknownOptionsAreRefusedBeforeTheCommandRuns() {
        assertEquals(new Reply("", "Tree option not recognised: sideways.\nCouldn't process command line.\n", 1),
                d.dmsetup("ls", "--tree", "-o", "utf,sideways"));
        assertEquals(new Reply("", "Option not recognised: name,devno.\nCouldn't process command line.\n", 1),
                d.dmsetup("deps", "-o", "devname,name,devno"));
    }

    @Test
    void lsAndDepsNameDevicesAsAsked() {
        ok(d.dmsetup("ls", "-o", "devname"), "base\t(base)\ntop\t(top)\nz\t(z)\n");
        ok(d.dmsetup("ls", "-o", "blkdevname"), "base\t(dm-0)\ntop\t(dm-1)\nz\t(dm-2)\n");
        ok(d.dmsetup("ls", "-o", "devno"), "base\t(253:0)\ntop\t(253:1)\nz\t(253:2)\n");
        ok(d.dmsetup("deps", "-o", "blkdevname", "top"), "1 dependencies\t: (dm-0)\n");
        ok(d.dmsetup("deps", "-o", "dev", "top"), "1 dependencies\t: (253, 0)\n");
        ok(d.dmsetup("deps", "-o", "devna", "top"), "1 dependencies\t: (base)\n");
        ok(d.dmsetup("deps", "-o", "devname,,", "top"), "1 dependencies\t: (253, 0)\n");
    }

    @Test
    void inactiveTablesAreShownWithInactive() {
        ok(d.dmsetup("load", "z", "--table", "0 16 linear " + a + " 8"), "");
        ok(d.dmsetup("table", "--inactive", "z"), "0 16 linear 7:0 8\n");
        ok(d.dmsetup("status", "--inactive", "z"), "0 16 linear \n");
        ok(d.dmsetup("deps", "--inactive", "z"), "1 dependencies\t: (7, 0)\n");
        ok(d.dmsetup("table", "z"), "0 8 zero \n");
        ok(d.dmsetup("table", "--inactive", "base"), "\n");
    }

    @Test
    void aDeviceThatNeverHadATableHasNoReadAheadAndNoName() {
        ok(d.dmsetup("create", "empty", "--notable"), "");
        Reply info = d.dmsetup("info", "empty");
        assertEquals(0, info.rc());
        assertEquals("/dev/mapper/empty: open failed: No such file or directory\n", info.err());
        assertEquals(false, info.out().contains("Read Ahead:"), info.out());
        ok(d.dmsetup("ls", "-o", "devname"), "base\t(base)\nempty\t(253:3)\ntop\t(top)\nz\t(z)\n");
        ok(d.dmsetup("load", "empty", "--table", "0 8 zero"), "");
        ok(d.dmsetup("info", "-c", "--noheadings", "-o", "name,read_ahead", "empty"), "empty               256\n");
    }

    @Test
    void targetsListsModulesOnceUsed() {
        ok(d.dmsetup("targets"), "zero             v1.1.0\nstriped          v1.6.0\nlinear           v1.4.0\nerror            v1.5.0\n");
    }
}
