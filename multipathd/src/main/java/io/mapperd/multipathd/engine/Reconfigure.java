package io.mapperd.multipathd.engine;

import io.mapperd.conf.MultipathConfig;
import io.mapperd.multipathd.engine.state.MapRecord;
import io.mapperd.multipathd.engine.state.PathRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a new, already checked configuration on the engine thread: works out for every WWID what
 * its map would become, reports that (a dry run stops there), then switches to the new
 * configuration and updates the maps, which reloads only those whose table changes.
 */
final class Reconfigure {
    private static final Logger LOG = LoggerFactory.getLogger(Reconfigure.class);
    private final Engine e;

    Reconfigure(Engine engine) {
        this.e = engine;
    }

    ReconfigureResult run(MultipathConfig next, boolean dryRun, boolean all) {
        List<String> changes = diff(next);
        if (all) {
            for (MapRecord m : e.maps.values()) {
                if (changes.stream().noneMatch(c -> c.startsWith("reload " + m.name + ":") || c.startsWith("remove " + m.name + " "))) {
                    changes.add("reload " + m.name + ": all maps are reloaded");
                }
            }
        }
        if (dryRun) {
            return new ReconfigureResult(true, true, "dry run: " + changes.size() + " map change"
                    + (changes.size() == 1 ? "" : "s") + " (nothing applied)", changes);
        }
        e.config = next;
        e.membership.forgetOperatorChanges();
        next.problems().forEach(p -> LOG.warn("{}", p));
        for (PathRecord p : e.paths.values()) {
            e.resolve(p);
        }
        if (all) {
            e.maps.values().forEach(m -> m.table = "");
        }
        for (String wwid : wwids()) {
            e.updateMap(wwid);
        }
        e.publish();
        LOG.info("reconfigured: {} map change{}", changes.size(), changes.size() == 1 ? "" : "s");
        changes.forEach(c -> LOG.info("  {}", c));
        return new ReconfigureResult(true, false, "ok: " + changes.size() + " map change"
                + (changes.size() == 1 ? "" : "s"), changes);
    }

    private Set<String> wwids() {
        Set<String> all = new LinkedHashSet<>(e.maps.keySet());
        for (PathRecord p : e.paths.values()) {
            if (!p.info.wwid().isEmpty()) {
                all.add(p.info.wwid());
            }
        }
        return all;
    }

    /** What the maps would become under {@code next}, one line per change. */
    List<String> diff(MultipathConfig next) {
        List<String> out = new ArrayList<>();
        for (String wwid : wwids()) {
            List<PathRecord> members = new ArrayList<>();
            for (PathRecord p : e.paths.values()) {
                if (!p.removed && p.info.wwid().equals(wwid) && p.io.device().isPresent() && p.state != PathState.UNCHECKED
                        && !next.checkBlacklist(p.info.identity()).blacklisted()) {
                    members.add(p);
                }
            }
            MapRecord m = e.maps.get(wwid);
            if (members.isEmpty()) {
                if (m != null) {
                    out.add("remove " + m.name + " (" + wwid + "): no paths left under the new configuration");
                }
                continue;
            }
            if (m == null && !e.wanted(wwid, members, next)) {
                continue;
            }
            MapPlan plan = MapPlanner.plan(wwid, members, next, (w, s) -> e.nameFor(w, s, false),
                    m != null && m.queueDisabled);
            if (m == null) {
                out.add("create " + plan.name() + " (" + wwid + "): " + plan.params());
                continue;
            }
            if (!plan.name().equals(m.name)) {
                out.add("rename " + m.name + " -> " + plan.name());
            }
            if (!plan.params().equals(m.table)) {
                out.add("reload " + plan.name() + ": " + m.table + " -> " + plan.params());
            }
        }
        return out;
    }
}
