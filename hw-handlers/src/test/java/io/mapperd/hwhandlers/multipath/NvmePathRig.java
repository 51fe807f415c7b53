package io.mapperd.hwhandlers.multipath;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.targets.multipath.PgPath;
import io.mapperd.sim.nvme.NvmeSimConfig;
import io.mapperd.sim.nvme.NvmeTarget;
import io.mapperd.sim.nvme.SimFault;
import io.mapperd.transport.nvmetcp.AnaState;
import io.mapperd.transport.nvmetcp.ControllerState;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeTcpDeviceProvider;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two real NVMe/TCP paths: target-sim's subsystem with one 64 MiB namespace in ANA group 1 behind
 * two ephemeral loopback ports (optimized through port 1, non-optimized through port 2), and the
 * host's controllers to them. A hang is found by the host's keep-alive; access states are ANA,
 * which the host follows without a hardware handler.
 */
final class NvmePathRig implements PathRig {
    static final String NQN = "nqn.2026-11.io.mapperd:multipath-test";
    static final int ANA_GROUP = 1;
    /** Keep-alive 1 s (a hang is found within it), I/O timeout 3 s, reconnect every 200 ms. */
    static final NvmeTcpOptions OPTIONS = NvmeTcpOptions.defaults().withKato(Duration.ofSeconds(1))
            .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3)).withConnectTimeout(Duration.ofSeconds(2))
            .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(-1));

    private final NvmeTarget target;
    private final NvmeTcpDeviceProvider nvme;

    NvmePathRig(Path dir) throws Exception {
        target = NvmeTarget.start(new NvmeSimConfig(
                List.of(new NvmeSimConfig.Portal(1, "127.0.0.1", 0), new NvmeSimConfig.Portal(2, "127.0.0.1", 0)),
                List.of(new NvmeSimConfig.Subsystem(NQN, "MPT0001", "mapperd-sim", List.of(1, 2), List.of(
                        new NvmeSimConfig.Namespace(1, dir.resolve("ns1.img"), 64L << 20, ANA_GROUP, "", "", null)))),
                List.of(new NvmeSimConfig.AnaSetting(2, ANA_GROUP, AnaState.NON_OPTIMIZED)),
                NvmeSimConfig.DEFAULT_MAX_H2C_DATA, NvmeSimConfig.DEFAULT_IN_CAPSULE));
        nvme = new NvmeTcpDeviceProvider(OPTIONS);
    }

    /** Path {@code i} goes through port {@code i + 1}. */
    private static int port(int i) {
        return i + 1;
    }

    private static NvmeNamespace namespace(PgPath p) {
        return (NvmeNamespace) p.device();
    }

    @Override
    public DeviceProvider provider() {
        return nvme;
    }

    @Override
    public String url(int i, String urlOptions) {
        return "nvme+tcp://127.0.0.1:" + target.portal(port(i)).port() + "/" + NQN + "/1" + urlOptions;
    }

    @Override
    public void reset(int i) {
        target.setFault(port(i), SimFault.parse("reset", null));
    }

    @Override
    public void hang(int i, boolean on) {
        target.setFault(port(i), on ? SimFault.parse("hang", null) : SimFault.NONE);
    }

    /** The provider's own keep-alive is 1 s; the table's URLs ask for 600 ms. */
    @Override
    public Duration tableTimeout() {
        return Duration.ofMillis(600);
    }

    @Override
    public Duration hangTimeout(BlockDevice device) {
        return ((NvmeNamespace) device).controller().options().kato();
    }

    @Override
    public void down(int i) {
        target.setFault(port(i), SimFault.parse("refuse", null));
        target.setFault(port(i), SimFault.parse("reset", null));
    }

    @Override
    public void up(int i) {
        target.setFault(port(i), SimFault.NONE);
    }

    @Override
    public void awaitBack(int i, PgPath p) throws InterruptedException {
        NvmeNamespace ns = namespace(p);
        MapView.await(p + " reconnected", Duration.ofSeconds(20), () -> ns.controllerState() == ControllerState.LIVE,
                () -> "controller " + ns.controllerState());
    }

    @Override
    public String accessHandler() {
        return "0";
    }

    @Override
    public void assertStartingAccess(PgPath a, PgPath b) {
        assertEquals(AnaState.OPTIMIZED, namespace(a).anaState().orElseThrow());
        assertEquals(AnaState.NON_OPTIMIZED, namespace(b).anaState().orElseThrow());
    }

    @Override
    public void moveOptimizedToPath1() {
        target.setAnaState(port(1), ANA_GROUP, AnaState.OPTIMIZED);
        target.setAnaState(port(0), ANA_GROUP, AnaState.INACCESSIBLE);
    }

    @Override
    public void assertMoved(PgPath a, PgPath b) {
        assertEquals(AnaState.INACCESSIBLE, namespace(a).anaState().orElseThrow(), "the host read the changed ANA log after the event");
    }

    @Override
    public void restore() {
        up(0);
        up(1);
    }

    @Override
    public void close() {
        try {
            nvme.close();
        } finally {
            target.close();
        }
    }
}
