package io.mapperd.hwhandlers.multipath;

import io.mapperd.checkers.SimSan;
import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.targets.multipath.PgPath;
import io.mapperd.transport.iscsi.IscsiDeviceProvider;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two real iSCSI paths: target-sim's LUN behind portal 127.0.0.1 (port group 16,
 * active/optimized) and portal 127.0.0.2 (port group 17, active/non-optimized), and the
 * initiator's sessions to them. A hang is found by the session's NOP-Out timeout; access states
 * are ALUA, followed by the alua hardware handler.
 */
final class IscsiPathRig implements PathRig {
    /** A hung portal is noticed within noop interval + noop timeout (2 s); a lost session is given up after 1 s. */
    static final SessionConfig SESSION = SessionConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500),
            Duration.ofMillis(1500), Duration.ofSeconds(1));

    final SimSan san;
    private final IscsiDeviceProvider iscsi;

    IscsiPathRig(Path dir) throws Exception {
        san = SimSan.start(dir);
        iscsi = new IscsiDeviceProvider(SESSION);
    }

    @Override
    public DeviceProvider provider() {
        return iscsi;
    }

    @Override
    public String url(int i, String urlOptions) {
        return san.url(i) + urlOptions;
    }

    @Override
    public void reset(int i) {
        san.portal(i).reset();
    }

    @Override
    public void hang(int i, boolean on) {
        san.portal(i).hang(on);
    }

    /** The provider's own settings would take 2 s; the table's URLs ask for 1 s. */
    @Override
    public Duration tableTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration hangTimeout(BlockDevice device) {
        return ((IscsiLun) device).session().config().commandTimeout();
    }

    /** Returns once the initiator has seen the portal go: a write submitted afterwards cannot complete on the old connection. */
    @Override
    public void down(int i) throws InterruptedException {
        san.portal(i).down();
        String addr = san.portal(i).address();
        MapView.await("the session to " + addr + " lost", Duration.ofSeconds(10), () -> !loggedIn(addr), this::sessions);
    }

    @Override
    public void up(int i) throws InterruptedException {
        san.portal(i).up();
    }

    @Override
    public void awaitBack(int i, PgPath p) throws InterruptedException {
        String addr = san.portal(i).address();
        MapView.await("the session to " + addr + " logged in again", Duration.ofSeconds(20), () -> loggedIn(addr), this::sessions);
    }

    private boolean loggedIn(String addr) {
        return iscsi.sessions().stream().anyMatch(s -> s.toString().contains(addr) && s.state() == IscsiSession.State.LOGGED_IN);
    }

    private String sessions() {
        return iscsi.sessions().stream().map(s -> s + " " + s.state()).toList().toString();
    }

    @Override
    public String accessHandler() {
        return "1 alua";
    }

    @Override
    public void assertStartingAccess(PgPath a, PgPath b) {
        assertEquals(AluaState.ACTIVE_OPTIMIZED, san.portal(0).group().state());
        assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, san.portal(1).group().state());
    }

    /** The array moves active/optimized to port group 17 by itself (implicit ALUA). */
    @Override
    public void moveOptimizedToPath1() {
        san.state(SimSan.GROUP_B, AluaState.ACTIVE_OPTIMIZED);
        san.state(SimSan.GROUP_A, AluaState.STANDBY);
    }

    @Override
    public void assertMoved(PgPath a, PgPath b) {
        assertNotEquals(1, san.sim().group(SimSan.GROUP_B).statusCode(), "already optimized: no STPG was needed");
    }

    @Override
    public void restore() throws InterruptedException {
        san.reset();
    }

    @Override
    public void close() throws Exception {
        try {
            iscsi.close();
        } finally {
            san.close();
        }
    }
}
