package io.mapperd.sim.iscsi;

import io.mapperd.dm.io.DevT;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A two-portal simulator for tests (groups 16 active/optimized and 17 active/non-optimized), and tool helpers. */
final class SimFixture {
    static final String IQN = "iqn.2026-01.io.mapperd.sim:disk1";

    private SimFixture() {
    }

    static IscsiTargetSim start(Path dir, SimConfig.AluaMode mode, String chapUser, String chapSecret, String mutualUser,
                                String mutualSecret) throws IOException {
        SimConfig c = new SimConfig(
                List.of(new SimConfig.TargetSpec(IQN, List.of(new SimConfig.LunSpec(1, dir.resolve("disk1.img").toString(),
                        64L << 20, 512, "SIM0001", null)), chapUser, chapSecret, mutualUser, mutualSecret)),
                List.of(new SimConfig.PortalSpec("127.0.0.1", 0, 16), new SimConfig.PortalSpec("127.0.0.2", 0, 17)),
                List.of(new SimConfig.GroupSpec(16, AluaState.ACTIVE_OPTIMIZED, true),
                        new SimConfig.GroupSpec(17, AluaState.ACTIVE_NON_OPTIMIZED, false)),
                mode, "127.0.0.1:0");
        return IscsiTargetSim.start(c);
    }

    static IscsiTargetSim start(Path dir) throws IOException {
        return start(dir, SimConfig.AluaMode.BOTH, null, null, null, null);
    }

    static String url(IscsiTargetSim sim, int portal) {
        return "iscsi://" + sim.portals().get(portal).address() + "/" + IQN + "/1";
    }

    static IscsiLun open(IscsiTargetSim sim, int portal, SessionConfig cfg) throws Exception {
        SimPortal p = sim.portals().get(portal);
        IscsiSession s = get(IscsiSession.login(p.host(), p.port(), IQN, cfg));
        return get(IscsiLun.open(s, 1, url(sim, portal), new DevT(8, 16 * portal), false));
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static String require(String program) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            File f = new File(dir, program);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String msg = program + " is not installed (Debian packages libiscsi-bin, tshark)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    record Run(int rc, String out) {
    }

    static Run run(long timeoutSeconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(buf);
            } catch (IOException ignored) {
                // process gone
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            t.join(2000);
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n" + buf);
        }
        t.join(5000);
        return new Run(p.exitValue(), buf.toString());
    }
}
