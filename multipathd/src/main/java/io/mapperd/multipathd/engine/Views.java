package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.engine.group.GroupMember;
import io.mapperd.multipathd.engine.group.PathGroup;
import io.mapperd.multipathd.engine.state.MapRecord;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.multipathd.view.GroupView;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;

import java.util.ArrayList;
import java.util.List;

/** Snapshots of the engine's state as the view records the command language reads. */
final class Views {
    private Views() {
    }

    static List<PathView> paths(Engine e) {
        List<PathView> out = new ArrayList<>();
        for (PathRecord p : e.paths.values()) {
            out.add(path(e, p));
        }
        return List.copyOf(out);
    }

    static PathView path(Engine e, PathRecord p) {
        long now = Engine.now();
        MapRecord m = p.map == null ? null : e.maps.get(p.map);
        var i = p.info;
        // %N %R: multipath-tools reads the HBA's names for Fibre Channel paths only. %r stays the portal
        // address of iSCSI and NVMe paths (0.9.4 prints [undef] there): operators and tests find paths by it.
        boolean fc = "scsi:fcp".equals(i.protocol());
        String checker = p.settings == null ? "tur" : String.valueOf(p.settings.string("path_checker"));
        String init = p.removed ? "removed" : p.state == PathState.UNCHECKED ? "new"
                : p.blacklisted() || i.wwid().isEmpty() ? "failed" : "ok";
        return new PathView(i.dev(), i.devT().toString(), i.hcil(), i.wwid(), i.vendor(), i.product(), i.revision(),
                i.serial(), i.protocol(), m == null || !m.created ? "undef" : p.dmFailed ? "failed" : "active",
                p.io.transportState(),
                p.state.showText(), checker, (int) Math.max(0, (p.nextCheckMillis - now + 999) / 1000),
                p.checkIntervalSecs, p.priority, i.sizeSectors(), m == null ? "[orphan]" : m.name,
                p.marginal || p.disableReinstate ? "marginal" : "normal", p.failures,
                fc ? orUndef(i.hostWwnn()) : "[undef]", orUndef(i.targetWwnn()), fc ? orUndef(i.hostWwpn()) : "[undef]",
                orUndef(i.targetWwpn()),
                orUndef(i.hostAdapter()), i.tpg(), init);
    }

    private static String orUndef(String s) {
        return s == null || s.isEmpty() ? "[undef]" : s;
    }

    static List<MapView> maps(Engine e) {
        List<MapView> out = new ArrayList<>();
        for (MapRecord m : e.maps.values()) {
            if (!m.live) {
                continue;
            }
            out.add(map(e, m));
        }
        return List.copyOf(out);
    }

    static MapView map(Engine e, MapRecord m) {
        List<GroupView> groups = new ArrayList<>();
        for (int gi = 0; gi < m.groups.size(); gi++) {
            PathGroup g = m.groups.get(gi);
            List<PathView> pv = new ArrayList<>();
            int sum = 0;
            int n = 0;
            for (GroupMember gm : g.members()) {
                for (PathRecord p : m.paths) {
                    if (p.info.devT().equals(gm.devT())) {
                        pv.add(path(e, p));
                        if (!p.dmFailed && p.priority >= 0) {
                            sum += p.priority;
                            n++;
                        }
                    }
                }
            }
            char st = m.status != null && gi < m.status.groupStates().size() ? m.status.groupStates().get(gi) : 'E';
            // a dry run's plan has no table: its groups' states are unknown, as multipath -d prints them
            String status = !m.created ? "undef" : st == 'A' ? "active" : st == 'D' ? "disabled" : "enabled";
            groups.add(new GroupView(m.selector, n == 0 ? 0 : sum / n, status, g.marginal(), pv));
        }
        PathRecord first = m.paths.isEmpty() ? null : m.paths.getFirst();
        int npr = Policies.noPathRetry(m.settings);
        String queueing;
        if (npr == Policies.NPR_FAIL) {
            queueing = "off";
        } else if (npr == Policies.NPR_QUEUE) {
            queueing = "on";
        } else if (npr == Policies.NPR_UNDEF) {
            queueing = "-";
        } else if (m.retryTicks > 0) {
            queueing = m.retryTicks + " sec";
        } else if (!m.queueDisabled && m.paths.stream().anyMatch(p -> !p.dmFailed)) {
            queueing = npr + " chk";
        } else {
            queueing = "off";
        }
        long queued = m.totalQueueMillis + (m.queueingSinceMillis >= 0 ? Engine.now() - m.queueingSinceMillis : 0);
        return new MapView(m.name, m.wwid, m.dmDev, first == null ? "" : first.info.vendor(),
                first == null ? "" : first.info.product(), first == null ? "" : first.info.revision(), m.sizeSectors,
                m.features, m.hwHandler, m.created ? "rw" : "undef", !m.created ? "undef" : m.suspended ? "suspend" : "active",
                Policies.failbackText(Policies.failback(m.settings)), queueing, m.pathFaults, m.switchGroups,
                m.mapLoads, queued / 1000, m.queueTimeouts, m.action, groups);
    }
}
