package io.mapperd.multipathd;

import io.mapperd.multipathd.command.Reply;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import io.mapperd.multipathd.dmsetup.DmsetupClient;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * {@code mapperd multipath -ll [-v N] [MAP]}: the topology of the running daemon's maps as
 * multipath(8) prints it, asked of the daemon over the control socket.
 */
public final class MultipathLl {
    private MultipathLl() {
    }

    /** True when {@code args} (after "multipath") ask for the daemon's topology. */
    public static boolean wants(String[] args) {
        for (String a : args) {
            if (a.equals("-ll") || a.equals("-l")) {
                return true;
            }
        }
        return false;
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        String map = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-ll") || a.equals("-l")) {
                continue;
            }
            if (a.equals("-v")) {
                i++;
            } else if (a.matches("-v[0-9]")) {
                continue;
            } else if (a.startsWith("-")) {
                err.println("multipath: option " + a + " does not go with -ll (it asks the running daemon)");
                return 1;
            } else if (map == null) {
                map = a;
            } else {
                err.println("multipath: -ll takes one map at most, not " + map + " and " + a);
                return 1;
            }
        }
        ControlAddress address = DmsetupClient.address(env);
        String reply;
        try {
            reply = ControlClient.request(address, "multipath -ll" + (map == null ? "" : " " + map), Duration.ofMinutes(1));
        } catch (IOException | TimeoutException e) {
            err.println("multipath: cannot reach the daemon at " + address.spec() + ": " + e.getMessage());
            return 1;
        }
        if (!Reply.isEnvelope(reply)) {
            err.print("multipath: the daemon does not answer -ll: " + reply);
            return 1;
        }
        Reply r = Reply.parse(reply);
        out.print(r.out());
        err.print(r.err());
        out.flush();
        return r.rc();
    }
}
