package io.mapperd.multipathd.engine.path;

import io.mapperd.conf.IscsiPortal;
import io.mapperd.conf.MultipathConfig;
import io.mapperd.dm.io.DevT;
import io.mapperd.multipathd.engine.wwid.ScsiWwid;
import io.mapperd.transport.iscsi.ChapCredentials;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import io.mapperd.transport.iscsi.scsi.ReportLuns;
import io.mapperd.transport.iscsi.scsi.ScsiCondition;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Paths from the iSCSI portals of the configuration's mapperd_transports section, as
 * {@code iscsiadm -m discovery -t st -p PORTAL --login} would make them: SendTargets on each
 * configured portal, a session to every portal it lists for the wanted target(s), and one path per
 * portal and LUN. A portal that cannot be reached keeps the paths it had (the checkers fail them
 * and the session reconnects by itself); a LUN that REPORT LUNS no longer lists goes away.
 */
public final class IscsiPathSource implements PathSource {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiPathSource.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private record SessionKey(String host, int port, String target) {
        String address() {
            return host + ":" + port;
        }
    }

    private final class SessionEntry {
        final IscsiSession session;
        final int host;
        final Map<Integer, DiscoveredPath> luns = new LinkedHashMap<>();
        int holds;

        SessionEntry(IscsiSession session, int host) {
            this.session = session;
            this.host = host;
        }

        void release() {
            synchronized (IscsiPathSource.this) {
                if (--holds == 0 && !sessions.containsValue(this)) {
                    LOG.info("{}: no path uses it any more; logging out", session);
                    session.close();
                }
            }
        }
    }

    private final DiskNames names;
    private final Map<SessionKey, SessionEntry> sessions = new LinkedHashMap<>();

    public IscsiPathSource(DiskNames names) {
        this.names = names;
    }

    @Override
    public String name() {
        return "iscsi";
    }

    @Override
    public synchronized List<DiscoveredPath> scan(MultipathConfig config) {
        Set<SessionKey> wanted = new LinkedHashSet<>();
        Map<SessionKey, IscsiPortal> how = new LinkedHashMap<>();
        for (IscsiPortal p : config.iscsiPortals()) {
            for (SessionKey k : targets(p, sessionConfig(p, config))) {
                wanted.add(k);
                how.putIfAbsent(k, p);
            }
        }
        // Keep sessions of configured portals even when discovery failed this time (portal loss).
        for (SessionKey k : List.copyOf(sessions.keySet())) {
            if (!wanted.contains(k) && !stillConfigured(k, config)) {
                SessionEntry gone = sessions.remove(k);
                LOG.info("{}: no longer configured", gone.session);
                if (gone.holds == 0) {
                    gone.session.close();
                }
            }
        }
        for (SessionKey k : wanted) {
            SessionEntry e = sessions.get(k);
            if (e == null) {
                e = login(k, sessionConfig(how.get(k), config));
                if (e == null) {
                    continue;
                }
                sessions.put(k, e);
            }
            refreshLuns(k, e);
        }
        List<DiscoveredPath> out = new ArrayList<>();
        sessions.values().forEach(e -> out.addAll(e.luns.values()));
        return out;
    }

    private static boolean stillConfigured(SessionKey k, MultipathConfig config) {
        for (IscsiPortal p : config.iscsiPortals()) {
            if (p.target() == null || p.target().equals(k.target())) {
                return true;
            }
        }
        return false;
    }

    /** The (portal, target) pairs one configured portal leads to. */
    private List<SessionKey> targets(IscsiPortal p, SessionConfig sc) {
        List<SessionKey> out = new ArrayList<>();
        if (!p.discovery()) {
            return List.of(new SessionKey(p.host(), p.port(), p.target()));
        }
        try {
            for (IscsiSession.DiscoveredTarget t : IscsiSession.discover(p.host(), p.port(), sc)
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                if (p.target() != null && !p.target().equals(t.name())) {
                    continue;
                }
                List<String> portals = t.portals().isEmpty() ? List.of(p.portal()) : t.portals();
                for (String addr : portals) {
                    String hp = addr.contains(",") ? addr.substring(0, addr.indexOf(',')) : addr;
                    int colon = hp.lastIndexOf(':');
                    String host = colon < 0 ? hp : hp.substring(0, colon);
                    int port = colon < 0 ? 3260 : Integer.parseInt(hp.substring(colon + 1));
                    out.add(new SessionKey(host.replace("[", "").replace("]", ""), port, t.name()));
                }
            }
        } catch (Exception e) {
            LOG.debug("SendTargets on {} failed: {}", p.portal(), rootMessage(e));
            if (p.target() != null) {
                out.add(new SessionKey(p.host(), p.port(), p.target()));
            }
        }
        return out;
    }

    private SessionEntry login(SessionKey k, SessionConfig sc) {
        try {
            IscsiSession s = IscsiSession.login(k.host(), k.port(), k.target(), sc)
                    .get(sc.loginTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
            SessionEntry e = new SessionEntry(s, names.nextHost());
            LOG.info("logged in to {} at {} (host{})", k.target(), k.address(), e.host);
            return e;
        } catch (Exception e) {
            LOG.debug("login to {} at {} failed: {}", k.target(), k.address(), rootMessage(e));
            return null;
        }
    }

    private void refreshLuns(SessionKey k, SessionEntry e) {
        if (e.session.state() != IscsiSession.State.LOGGED_IN) {
            return;
        }
        List<Integer> reported;
        try {
            reported = reportLuns(e.session);
        } catch (Exception ex) {
            LOG.debug("{}: REPORT LUNS failed: {}", e.session, rootMessage(ex));
            return;
        }
        for (Integer gone : List.copyOf(e.luns.keySet())) {
            if (!reported.contains(gone)) {
                LOG.info("{}: LUN {} is no longer reported", e.session, gone);
                e.luns.remove(gone);
            }
        }
        for (int lun : reported) {
            if (!e.luns.containsKey(lun)) {
                DiscoveredPath p = open(k, e, lun);
                if (p != null) {
                    e.luns.put(lun, p);
                }
            }
        }
    }

    private DiscoveredPath open(SessionKey k, SessionEntry e, int lun) {
        int index = names.allocate();
        String dev = DiskNames.sdName(index);
        DevT devT = DiskNames.sdDevT(index);
        String key = "iscsi:" + k.address() + "/" + k.target() + "/" + lun;
        try {
            IscsiLun l = IscsiLun.open(e.session, lun, dev, devT, false)
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            DeviceIdentification id = l.deviceIdentification().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String serial = l.unitSerialNumber().exceptionally(x -> "").get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String wwid = ScsiWwid.derive(id.designators()).orElse("");
            int tpg = id.designators().stream().filter(d -> d.type() == Designator.TYPE_TARGET_PORT_GROUP)
                    .mapToInt(Designator::number).findFirst().orElse(-1);
            Map<String, String> props = new LinkedHashMap<>();
            if (!wwid.isEmpty()) {
                props.put("ID_SERIAL", wwid);
                props.put("ID_WWN", "0x" + wwid.substring(1, Math.min(wwid.length(), 17)));
            }
            id.wwid().filter(d -> d.type() == Designator.TYPE_NAA)
                    .ifPresent(d -> props.put("SCSI_IDENT_LUN_NAA_" + naaName(d.naaType()), HexFormat.of().formatHex(d.value())));
            PathInfo info = new PathInfo(key, dev, devT, e.host + ":0:0:" + lun, wwid, l.standardInquiry().vendor(),
                    l.standardInquiry().product(), l.standardInquiry().revision(), serial, "scsi:iscsi",
                    e.session.config().initiatorName(), k.target(), k.address(), "host" + e.host, tpg, l.sizeSectors(), props);
            e.holds++;
            LOG.info("{}: {} {} {} wwid {} (LUN {} of {} at {}, port group {})", dev, devT, info.vendor(), info.product(),
                    wwid.isEmpty() ? "none" : wwid, lun, k.target(), k.address(), tpg);
            return new DiscoveredPath(info, new IscsiPathIo(l, () -> {
                names.free(index);
                e.release();
            }));
        } catch (Exception ex) {
            names.free(index);
            LOG.warn("{}: cannot probe LUN {}: {}", key, lun, rootMessage(ex));
            return null;
        }
    }

    private static String naaName(int t) {
        return switch (t) {
            case 6 -> "REGEXT";
            case 5 -> "REG";
            case 3 -> "LOCAL";
            default -> "EXT";
        };
    }

    private static List<Integer> reportLuns(IscsiSession s) throws Exception {
        for (int attempt = 0; ; attempt++) {
            ByteBuffer in = ByteBuffer.allocate(8 + 8 * 256);
            CompletableFuture<ScsiResult> f = s.execute(0, Cdb.reportLuns(in.capacity()), in, null);
            ScsiResult r = f.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (r.condition() == ScsiCondition.UNIT_ATTENTION && attempt < 3) {
                continue;
            }
            return ReportLuns.decode(r.dataOrThrow());
        }
    }

    /** Login settings for one configured portal: names, CHAP, and fast_io_fail_tmo as the replacement timeout. */
    static SessionConfig sessionConfig(IscsiPortal p, MultipathConfig config) {
        SessionConfig sc = SessionConfig.defaults();
        if (p.initiatorName() != null) {
            sc = sc.withInitiatorName(p.initiatorName());
        }
        if (p.usesChap()) {
            sc = sc.withChap(new ChapCredentials(p.chapUsername(), p.chapPassword(), p.mutualChapUsername(),
                    p.mutualChapPassword()));
        }
        Object fio = config.defaults().value("fast_io_fail_tmo");
        long replacement = fio instanceof Long l && l > 0 ? l : 5;
        return sc.withTimeouts(sc.commandTimeout(), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(replacement));
    }

    static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    @Override
    public synchronized void close() {
        for (SessionEntry e : sessions.values()) {
            e.session.close();
        }
        sessions.clear();
    }
}
