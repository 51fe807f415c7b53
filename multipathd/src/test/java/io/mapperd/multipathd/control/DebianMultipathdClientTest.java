package io.mapperd.multipathd.control;

import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.Peers;
import io.mapperd.multipathd.command.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's multipathd client (multipath-tools 0.9.4) against our daemon on the default abstract
 * name, as root and as nobody: commands go through, reads are open, changes refused to nobody.
 */
class DebianMultipathdClientTest {
    static Daemon daemon;
    static String client;

    @BeforeAll
    static void start() {
        client = Peers.require("multipathd", "/sbin", "/usr/sbin").toString();
        if (ControlClient.reachable(ControlAddress.DEFAULT)) {
            throw new IllegalStateException(ControlAddress.DEFAULT + " is taken by a running daemon (a demo?): stop it to run this test");
        }
        daemon = new Daemon(new DaemonOptions(Optional.empty(), List.of(ControlAddress.DEFAULT), Optional.empty(), OptionalInt.empty())).start();
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    static Peers.Result multipathd(boolean asNobody, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of(Peers.require("setpriv", "/usr/bin", "/bin").toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.add(client);
        cmd.addAll(List.of(args));
        return Peers.run(cmd);
    }

    @Test
    void showVersionAndDaemon() throws Exception {
        Peers.Result v = multipathd(false, "show", "version");
        assertEquals(0, v.rc(), v.err());
        assertTrue(v.out().startsWith("multipath-tools v0.9.4 (mapperd "), v.out());
        Peers.Result k = multipathd(false, "-kshow daemon");
        assertEquals("pid " + ProcessHandle.current().pid() + " idle\n", k.out());
    }

    @Test
    void nobodyMayReadButNotChange() throws Exception {
        Peers.requireRoot("switch to uid 65534");
        Peers.Result v = multipathd(true, "show", "version");
        assertEquals(0, v.rc(), v.err());
        assertTrue(v.out().startsWith("multipath-tools v0.9.4"), v.out());

        Reply created = Reply.parse(multipathd(false, "dmsetup", "create", "root-made").out());
        assertEquals(0, created.rc(), created.err());

        Reply ls = Reply.parse(multipathd(true, "dmsetup", "ls").out());
        assertEquals(new Reply("root-made\t(253:0)\n", "", 0), ls);

        Reply refused = Reply.parse(multipathd(true, "dmsetup", "remove", "root-made").out());
        assertEquals(1, refused.rc());
        assertEquals("dmsetup remove: permission denied: changing device-mapper state needs root (peer uid 65534)\nCommand failed.\n",
                refused.err());
        assertTrue(daemon.deviceMapper().find("root-made").isPresent());

        Reply removed = Reply.parse(multipathd(false, "dmsetup", "remove", "root-made").out());
        assertEquals(new Reply("", "", 0), removed);
    }
}
