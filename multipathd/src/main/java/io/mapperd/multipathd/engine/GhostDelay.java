package io.mapperd.multipathd.engine;

import io.mapperd.conf.ResolvedSettings;
import io.mapperd.multipathd.engine.state.MapRecord;
import io.mapperd.multipathd.engine.state.PathRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * ghost_delay, after multipathd 0.9.4 (domap's ACT_CREATE, ghost_delay_tick): a new map whose
 * usable paths are all ghosts (standby, passive) waits up to ghost_delay seconds for an active
 * path; an up path ends the wait at once, and when the time runs out the map is made with what it
 * has ("timed out waiting for active path"). multipathd loads such a map and keeps udev from
 * announcing it meanwhile; here a map's device is what consumers see (the NBD export), so its
 * creation waits. Runs on the engine thread.
 */
final class GhostDelay {
    private static final Logger LOG = LoggerFactory.getLogger(GhostDelay.class);

    private GhostDelay() {
    }

    /** True while the creation of {@code m} waits for an active path. */
    static boolean holdsCreate(MapRecord m, List<PathRecord> members, ResolvedSettings s) {
        int delay = Policies.intValue(s, "ghost_delay", 0);
        if (delay <= 0 || m.ghostDelayExpired) {
            return false;
        }
        boolean up = members.stream().anyMatch(p -> p.state == PathState.UP);
        boolean ghost = members.stream().anyMatch(p -> p.state == PathState.GHOST);
        if (up || !ghost) {
            if (m.ghostDelayTicks > 0) {
                LOG.info("{}: an active path is here: creating the map", m.name);
            }
            m.ghostDelayTicks = 0;
            return false;
        }
        if (m.ghostDelayTicks == 0) {
            m.ghostDelayTicks = delay;
            LOG.info("{}: only ghost paths: waiting up to ghost_delay {} s for an active path", m.name, delay);
        }
        return true;
    }

    /** One second of the wait; true when it just ran out (the map is to be made now). */
    static boolean tick(MapRecord m) {
        if (m.ghostDelayTicks <= 0 || --m.ghostDelayTicks > 0) {
            return false;
        }
        LOG.warn("{}: timed out waiting for active path", m.name);
        m.ghostDelayExpired = true;
        return true;
    }
}
