package io.mapperd.bench;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.sim.nvme.NvmeSimConfig;
import io.mapperd.sim.nvme.NvmeTarget;
import io.mapperd.sim.nvme.SimFault;
import io.mapperd.transport.nvmetcp.ControllerState;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeTcpDeviceProvider;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * target-sim's NVMe/TCP target with one namespace behind two loopback ports (ANA optimized on
 * both), and the host's controllers to them. Kill: a reset of the port's connections (TCP RST), or
 * a hang (the port reads and never answers). The table's URLs set the path's I/O timeout
 * ({@code ?timeout_ms=}): keep-alive timeout and I/O command timeout {@code timeout}; the host
 * reconnects every 100 ms.
 */
final class NvmeRig implements PathRig {
    static final String NQN = "nqn.2026-11.io.mapperd:bench";

    private final NvmeTarget target;
    private final NvmeTcpDeviceProvider provider;
    private final Path file;
    private final long bytes;
    private final Duration timeout;

    NvmeRig(Path dir, long bytes, Duration timeout) throws Exception {
        this.bytes = bytes;
        this.timeout = timeout;
        // written through, as fio lays out its files: reads of a sparse file's holes copy one zero page
        this.file = BenchFiles.randomFile(dir.resolve("ns1.img"), bytes);
        target = NvmeTarget.start(new NvmeSimConfig(
                List.of(new NvmeSimConfig.Portal(1, "127.0.0.1", 0), new NvmeSimConfig.Portal(2, "127.0.0.1", 0)),
                List.of(new NvmeSimConfig.Subsystem(NQN, "BENCH001", "mapperd-sim", List.of(1, 2), List.of(
                        new NvmeSimConfig.Namespace(1, file, bytes, 1, "", "", null)))),
                List.of(), NvmeSimConfig.DEFAULT_MAX_H2C_DATA, NvmeSimConfig.DEFAULT_IN_CAPSULE));
        provider = new NvmeTcpDeviceProvider(NvmeTcpOptions.defaults()
                .withConnectTimeout(Duration.ofSeconds(3)) // a reconnect to a hung port gives up after this
                .withReconnect(Duration.ofMillis(100), Duration.ofSeconds(-1)));
    }

    @Override
    public DeviceProvider provider() {
        return provider;
    }

    @Override
    public String url(int i) {
        return "nvme+tcp://127.0.0.1:" + target.portal(i + 1).port() + "/" + NQN + "/1?timeout_ms=" + timeout.toMillis();
    }

    @Override
    public long sectors() {
        return bytes >> 9;
    }

    @Override
    public boolean canHang() {
        return true;
    }

    @Override
    public void kill(int i, Kill kind, BlockDevice device) {
        if (kind == Kill.HANG) {
            target.setFault(i + 1, SimFault.parse("hang", null));
            return;
        }
        NvmeNamespace ns = (NvmeNamespace) device;
        int cntlid = ns.controller().cntlid();
        target.setFault(i + 1, SimFault.parse("reset", null));
        PathRig.awaitSeen(() -> ns.controllerState() != ControllerState.LIVE || ns.controller().cntlid() != cntlid);
    }

    @Override
    public void heal(int i) {
        target.setFault(i + 1, SimFault.NONE);
    }

    @Override
    public boolean ready(BlockDevice device) {
        return ((NvmeNamespace) device).controllerState() == ControllerState.LIVE;
    }

    @Override
    public long timeoutMillis() {
        return timeout.toMillis();
    }

    @Override
    public String describe() {
        return "target-sim NVMe/TCP, one " + (bytes >> 20) + " MiB namespace behind ports " + target.portal(1).port()
                + " and " + target.portal(2).port() + "; I/O timeout from the table's URLs (timeout_ms=" + timeout.toMillis()
                + "): keep-alive timeout and I/O command timeout " + timeout.toMillis() + " ms";
    }

    @Override
    public void close() throws Exception {
        provider.close();
        target.close();
        Files.deleteIfExists(file);
    }
}
