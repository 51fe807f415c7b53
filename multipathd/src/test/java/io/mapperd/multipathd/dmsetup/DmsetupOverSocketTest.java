package io.mapperd.multipathd.dmsetup;

import io.mapperd.multipathd.TestDaemon;
import io.mapperd.multipathd.command.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every dmsetup verb, from bin/dmsetup's client code through the control socket to the daemon. */
class DmsetupOverSocketTest {
    @TempDir
    Path dir;
    TestDaemon d;
    Path a;
    Path b;

    @BeforeEach
    void start() throws IOException {
        d = new TestDaemon(dir);
        a = file("a.img", 64 << 20);
        b = file("b.img", 64 << 20);
    }

    @AfterEach
    void stop() {
        d.close();
    }

    Path file(String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    static void ok(Reply r, String out) {
        assertEquals(new Reply(out, "", 0), r);
    }

    @Test
    void createTableStatusInfoRemove() {
        ok(d.dmsetup("create", "a", "--table", "0 8192 linear " + a + " 0"), "");
        ok(d.dmsetup("table", "a"), "0 8192 linear 7:0 0\n");
        ok(d.dmsetup("status", "a"), "0 8192 linear \n");
        ok(d.dmsetup("info", "a"), """
                Name:              a
                State:             ACTIVE
                Read Ahead:        256
                Tables present:    LIVE
                Open count:        0
                Event number:      0
                Major, minor:      253, 0
                Number of targets: 1

                """);
        ok(d.dmsetup("remove", "a"), "");
        ok(d.dmsetup("ls"), "No devices found\n");
    }

    @Test
    void createWithUuidReadonlyAndMultiLineTable() {
        ok(d.dmsetup("create", "b", "-u", "LVM-xyz", "--readonly", "--table",
                "0 4096 linear " + a + " 0\n4096 4096 linear " + b + " 2048"), "");
        ok(d.dmsetup("table", "b"), "0 4096 linear 7:0 0\n4096 4096 linear 7:1 2048\n");
        Reply info = d.dmsetup("info", "b");
        assertTrue(info.out().contains("State:             ACTIVE (READ-ONLY)\n"), info.out());
        assertTrue(info.out().contains("Number of targets: 2\nUUID: LVM-xyz\n\n"), info.out());
        ok(d.dmsetup("deps", "b"), "2 dependencies\t: (7, 1) (7, 0)\n");
        ok(d.dmsetup("info", "-c", "b"),
                "Name             Maj Min Stat Open Targ Event  UUID                            \n"
                + "b                253   0 L--r    0    2      0 LVM-xyz                         \n");
    }

    @Test
    void tableFromFileAndFromStdin() throws IOException {
        Path t = dir.resolve("t.table");
        Files.writeString(t, "# a comment\n0 16 zero   # trailing comment\n");
        ok(d.dmsetup("create", "f", t.toString()), "");
        ok(d.dmsetup("table", "f"), "0 16 zero \n");
        ok(d.dmsetupWithStdin("0 32 error\n", "create", "s"), "");
        ok(d.dmsetup("table", "s"), "0 32 error \n");
        ok(d.dmsetupWithStdin("", "create", "empty"), "");
        ok(d.dmsetup("info", "-c", "--noheadings", "-o", "name,attr", "empty"), "empty            ---w\n");
        assertEquals(new Reply("", "Couldn't open '/nonexistent' for reading.\nCommand failed.\n", 1),
                d.dmsetup("create", "g", "/nonexistent"));
        assertEquals(new Reply("", "Invalid format on line 2 of table on stdin.\nCommand failed.\n", 1),
                d.dmsetupWithStdin("0 8 zero\nbad line\n", "create", "g"));
        ok(d.dmsetup("ls"), "empty\t(253:2)\nf\t(253:0)\ns\t(253:1)\n");
    }

    @Test
    void refusedTableSaysWhyAndLeavesNothing() {
        Reply r = d.dmsetup("create", "x", "--table", "0 8192 linear " + a + " 999999999");
        assertEquals(1, r.rc());
        assertEquals("", r.out());
        String[] lines = r.err().split("\n");
        assertEquals(3, lines.length, r.err());
        assertTrue(lines[0].startsWith("device-mapper: table: 253:0: "), lines[0]);
        assertEquals("device-mapper: reload ioctl on x (253:0) failed: Invalid argument", lines[1]);
        assertEquals("Command failed.", lines[2]);
        ok(d.dmsetup("ls"), "No devices found\n");
    }

    @Test
    void loadSuspendResumeSwapsTablesAndInfoShowsSlots() {
        ok(d.dmsetup("create", "m", "--table", "0 8 zero"), "");
        ok(d.dmsetup("load", "m", "--table", "0 16 error"), "");
        assertTrue(d.dmsetup("info", "m").out().contains("Tables present:    LIVE & INACTIVE\n"));
        ok(d.dmsetup("info", "-c", "--noheadings", "-o", "attr", "m"), "LI-w\n");
        ok(d.dmsetup("suspend", "m"), "");
        assertTrue(d.dmsetup("info", "m").out().contains("State:             SUSPENDED\n"));
        ok(d.dmsetup("resume", "m"), "");
        ok(d.dmsetup("table", "m"), "0 16 error \n");
        ok(d.dmsetup("reload", "m", "--table", "0 8 zero"), "");
        ok(d.dmsetup("clear", "m"), "");
        ok(d.dmsetup("info", "-c", "--noheadings", "-o", "attr", "m"), "L--w\n");
        ok(d.dmsetup("suspend", "--noflush", "m"), "");
        ok(d.dmsetup("resume", "m"), "");
        assertEquals(new Reply("", "--notable only available when creating new device.\nCommand failed.\n", 1),
                d.dmsetup("load", "m", "--notable"));
    }

    @Test
    void stackedDevicesTreeDepsAndRemoveOrder() {
        ok(d.dmsetup("create", "base", "--table", "0 8192 linear " + a + " 0"), "");
        ok(d.dmsetup("create", "top", "--table", "0 4096 linear /dev/mapper/base 0"), "");
        ok(d.dmsetup("create", "z", "--table", "0 8 zero"), "");
        ok(d.dmsetup("ls", "--tree"), """
                top (253:1)
                 `-base (253:0)
                    `- (7:0)
                z (253:2)
                """);
        ok(d.dmsetup("ls", "--tree", "-o", "utf"), "top (253:1)\n \u2514\u2500base (253:0)\n    \u2514\u2500 (7:0)\nz (253:2)\n");
        ok(d.dmsetup("deps"), "base: 1 dependencies\t: (7, 0)\ntop: 1 dependencies\t: (253, 0)\nz: 0 dependencies\t:\n");
        ok(d.dmsetup("ls", "--target", "linear"), "base\t(253, 0)\ntop\t(253, 1)\n");
        ok(d.dmsetup("table", "--target", "zero"), "z: 0 8 zero \n");
        ok(d.dmsetup("status", "base", "z"), "base: 0 8192 linear \nz: 0 8 zero \n");
        assertEquals(new Reply("", "device-mapper: remove ioctl on base  failed: Device or resource busy\nCommand failed.\n", 1),
                d.dmsetup("remove", "base"));
        assertTrue(d.dmsetup("info", "base").out().contains("Open count:        1\n"));
        ok(d.dmsetup("remove", "top", "base"), "");
        ok(d.dmsetup("remove_all"), "");
        ok(d.dmsetup("ls"), "No devices found\n");
    }

    @Test
    void renameAndSetUuid() {
        ok(d.dmsetup("create", "old", "--notable"), "");
        ok(d.dmsetup("rename", "old", "new"), "");
        ok(d.dmsetup("rename", "new", "--setuuid", "U-1"), "");
        ok(d.dmsetup("info", "-c", "--noheadings", "-o", "name,uuid"), "new              U-1                             \n");
        Reply again = d.dmsetup("rename", "new", "--setuuid", "U-2");
        assertEquals(1, again.rc());
        assertTrue(again.err().endsWith("device-mapper: rename ioctl on new  failed: Invalid argument\nCommand failed.\n"), again.err());
        ok(d.dmsetup("create", "other", "--notable"), "");
        assertEquals(new Reply("", "device-mapper: rename ioctl on other  failed: Device or resource busy\nCommand failed.\n", 1),
                d.dmsetup("rename", "other", "new"));
    }

    @Test
    void missingDevicesFailAsDmsetupDoes() {
        assertEquals(new Reply("", "Device does not exist.\nCommand failed.\n", 1), d.dmsetup("info", "nox"));
        assertEquals(new Reply("", "Device does not exist.\nCommand failed.\n", 1), d.dmsetup("status", "nox"));
        assertEquals(new Reply("", "device-mapper: table ioctl on nox  failed: No such device or address\nCommand failed.\n", 1),
                d.dmsetup("table", "nox"));
        assertEquals(new Reply("", "device-mapper: remove ioctl on nox  failed: No such device or address\nCommand failed.\n", 1),
                d.dmsetup("remove", "nox"));
        assertEquals(new Reply("", "device-mapper: deps ioctl on nox  failed: No such device or address\nCommand failed.\n", 1),
                d.dmsetup("deps", "nox"));
        assertEquals(1, d.dmsetup("suspend", "nox").rc());
        assertEquals(1, d.dmsetup("resume", "nox").rc());
        Reply unknown = d.dmsetup("frobnicate");
        assertEquals(1, unknown.rc());
        assertTrue(unknown.err().startsWith("Unknown command.\nUsage:"), unknown.err());
        Reply badOpt = d.dmsetup("ls", "--bogus");
        assertEquals(1, badOpt.rc());
        assertTrue(badOpt.err().startsWith("dmsetup: unrecognized option '--bogus'\n"), badOpt.err());
        assertEquals(new Reply("", "Incorrect number of arguments.\nUsage: dmsetup message <device> <sector> <message>\n", 1),
                d.dmsetup("message", "x"));
    }

    @Test
    void messageToATargetWithoutMessages() {
        ok(d.dmsetup("create", "z", "--table", "0 8 zero"), "");
        Reply r = d.dmsetup("message", "z", "0", "hello");
        assertEquals(1, r.rc());
        assertTrue(r.err().endsWith("device-mapper: message ioctl on z  failed: Invalid argument\nCommand failed.\n"), r.err());
        assertEquals(new Reply("", "Invalid sector.\nCommand failed.\n", 1), d.dmsetup("message", "z", "x1", "hello"));
    }

    @Test
    void waitReturnsOnTheNextEvent() {
        ok(d.dmsetup("create", "w", "--notable"), "");
        CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> d.dmsetup("wait", "w"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        ok(d.dmsetup("rename", "w", "w2"), "");
        await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);
        ok(waiting.join(), "");
        ok(d.dmsetup("wait", "w2", "0"), "");
    }

    @Test
    void versionTargetsMknodesHelp() {
        ok(d.dmsetup("version"), "Library version:   1.02.185 (2022-05-18)\nDriver version:    4.47.0\n");
        Reply t = d.dmsetup("targets");
        assertEquals(0, t.rc());
        assertTrue(t.out().contains("linear           v1.4.0\n"), t.out());
        assertTrue(t.out().lines().allMatch(l -> l.matches("\\S+ +v\\d+\\.\\d+\\.\\d+")), t.out());
        ok(d.dmsetup("mknodes"), "");
        Reply help = d.dmsetup("help");
        assertEquals(0, help.rc());
        assertTrue(help.out().contains("\tcreate <dev_name>"), help.out());
    }

    @Test
    void removeForceAndDeferred() {
        ok(d.dmsetup("create", "base", "--table", "0 8 zero"), "");
        d.daemon.deviceMapper().find("base").orElseThrow().open();
        ok(d.dmsetup("remove", "--deferred", "base"), "");
        assertTrue(d.dmsetup("info", "base").out().contains("State:             ACTIVE (DEFERRED REMOVE)\n"));
        d.daemon.deviceMapper().find("base").orElseThrow().close();
        ok(d.dmsetup("ls"), "No devices found\n");
        ok(d.dmsetup("create", "gone", "--table", "0 8 zero"), "");
        ok(d.dmsetup("remove", "--force", "gone"), "");
        assertFalse(d.daemon.deviceMapper().find("gone").isPresent());
    }

    @Test
    void infoShowsNbdClientsWhenTheDeviceIsExported(@TempDir Path other) {
        try (TestDaemon exported = new TestDaemon(other, name -> name.equals("e") ? OptionalInt.of(2) : OptionalInt.empty())) {
            ok(exported.dmsetup("create", "e", "--table", "0 8 zero"), "");
            assertTrue(exported.dmsetup("info", "e").out().endsWith("Number of targets: 1\nNBD clients:       2\n\n"));
        }
    }
}
