package io.mapperd.bench;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.sim.iscsi.IscsiTargetSim;
import io.mapperd.sim.iscsi.SimConfig;
import io.mapperd.sim.iscsi.SimPortal;
import io.mapperd.transport.iscsi.ChapCredentials;
import io.mapperd.transport.iscsi.IscsiDeviceProvider;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * target-sim's iSCSI target with one LUN behind two loopback portals (one port group,
 * active/optimized), and the initiator's sessions to them. Kill: a reset of the portal's
 * connections (TCP RST), or a hang (the portal reads and never answers). The table's URLs set the
 * path's I/O timeout ({@code ?timeout_ms=}): SCSI command timeout {@code timeout}, a NOP-Out every
 * {@code timeout/2} waiting {@code timeout/2}.
 */
final class IscsiRig implements PathRig {
    static final String IQN = "iqn.2026-11.io.mapperd:bench";

    private final IscsiTargetSim sim;
    private final IscsiDeviceProvider provider;
    private final Path file;
    private final long bytes;
    private final Duration timeout;

    IscsiRig(Path dir, long bytes, Duration timeout) throws Exception {
        this.bytes = bytes;
        this.timeout = timeout;
        // written through, as fio lays out its files: reads of a sparse file's holes copy one zero page
        this.file = BenchFiles.randomFile(dir.resolve("lun1.img"), bytes);
        sim = IscsiTargetSim.start(new SimConfig(
                List.of(new SimConfig.TargetSpec(IQN, List.of(new SimConfig.LunSpec(1, file.toString(), bytes, 512, "BENCH001", null)),
                        null, null, null, null)),
                List.of(new SimConfig.PortalSpec("127.0.0.1", 0, 1), new SimConfig.PortalSpec("127.0.0.1", 0, 1)),
                List.of(new SimConfig.GroupSpec(1, AluaState.ACTIVE_OPTIMIZED, true)), SimConfig.AluaMode.IMPLICIT, null));
        provider = new IscsiDeviceProvider(sessionConfig());
    }

    /** The defaults, but logins (also those of recovery from a hang) wait at most 5 s; the I/O timeout comes with the URL. */
    static SessionConfig sessionConfig() {
        SessionConfig d = SessionConfig.defaults();
        return new SessionConfig(d.initiatorName(), ChapCredentials.NONE, false, false, d.maxRecvDataSegmentLength(),
                d.immediateData(), d.initialR2T(), Duration.ofSeconds(5), d.commandTimeout(), d.noopInterval(),
                d.noopTimeout(), d.replacementTimeout(), true);
    }

    private SimPortal portal(int i) {
        return sim.portals().get(i);
    }

    @Override
    public DeviceProvider provider() {
        return provider;
    }

    @Override
    public String url(int i) {
        return "iscsi://" + portal(i).address() + "/" + IQN + "/1?timeout_ms=" + timeout.toMillis();
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
            portal(i).hang(true);
            return;
        }
        IscsiSession s = ((IscsiLun) device).session();
        int reconnects = s.reconnects();
        portal(i).reset();
        PathRig.awaitSeen(() -> s.state() != IscsiSession.State.LOGGED_IN || s.reconnects() != reconnects);
    }

    @Override
    public void heal(int i) {
        portal(i).hang(false);
    }

    @Override
    public boolean ready(BlockDevice device) {
        return ((IscsiLun) device).session().state() == IscsiSession.State.LOGGED_IN;
    }

    @Override
    public long timeoutMillis() {
        return timeout.toMillis();
    }

    @Override
    public String describe() {
        return "target-sim iSCSI, one " + (bytes >> 20) + " MiB LUN behind portals " + portal(0).address() + " and "
                + portal(1).address() + "; I/O timeout from the table's URLs (timeout_ms=" + timeout.toMillis()
                + "): command timeout " + timeout.toMillis() + " ms, NOP-Out every " + timeout.toMillis() / 2 + " ms waiting "
                + timeout.toMillis() / 2 + " ms";
    }

    @Override
    public void close() throws Exception {
        provider.close();
        sim.close();
        Files.deleteIfExists(file);
    }
}
