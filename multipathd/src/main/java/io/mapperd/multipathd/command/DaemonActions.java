package io.mapperd.multipathd.command;

import io.mapperd.conf.MultipathConfig;

/**
 * What operators may ask the policy engine to do, and the little the command language needs to
 * know besides the topology ({@link io.mapperd.multipathd.view.TopologySource}): the running
 * configuration and the daemon's state word. Implemented by the policy engine.
 *
 * <p>The command layer resolves names before it calls: {@code dev} is the kernel-style name of a
 * path the topology lists ({@link io.mapperd.multipathd.view.PathView#dev()}), {@code map} the name
 * of a map it lists ({@link io.mapperd.multipathd.view.MapView#name()}); only {@link #addPath} and
 * {@link #addMap} get the operator's word as typed (without "/dev/"), since what they name may not
 * be known yet. Calls come from any thread, several at once (one per operator connection); a slow
 * action must not stop `show` commands, which only read the topology.
 */
public interface DaemonActions {
    /** fail_path in the map holding the path; the checker leaves the path failed until reinstated. */
    ActionResult failPath(String dev);

    /** reinstate_path in the map holding the path, and checking resumes. */
    ActionResult reinstatePath(String dev);

    /** Discover {@code dev} and add it to its map ("blacklisted\n" when the blacklist refuses it). */
    ActionResult addPath(String dev);

    /** Stop using the path and take it out of its map. */
    ActionResult delPath(String dev);

    /** Build (or adopt) the map for a WWID, alias or dm-N. */
    ActionResult addMap(String nameOrWwid);

    /** Remove the map (flush it) and forget it. */
    ActionResult delMap(String map);

    ActionResult suspendMap(String map);

    ActionResult resumeMap(String map);

    /** Rebuild the map's table from what is known and load it. */
    ActionResult reloadMap(String map);

    /** Re-attach the map's paths (multipathd's "reset map": dm_reassign). */
    ActionResult resetMap(String map);

    /** Re-read the map's size from its paths and resize it. */
    ActionResult resizeMap(String map);

    /** switch_group to the 1-based {@code group}. */
    ActionResult switchGroup(String map, int group);

    /** Stop queueing I/O without paths (releasing what is held) until restored. */
    ActionResult disableQueueing(String map);

    /** Queue again as the configuration's no_path_retry says. */
    ActionResult restoreQueueing(String map);

    /** Zero the map's counters (path_faults, switch_grp, map_loads, total_q_time, q_timeouts). */
    ActionResult resetStats(String map);

    /**
     * Re-read the configuration; a file with errors leaves the running one in place and the
     * result says why. {@code all} reloads every map, otherwise only maps whose table changes;
     * {@code dryRun} changes nothing and replies with what would change.
     */
    ActionResult reconfigure(boolean all, boolean dryRun);

    /** map MAP getprstatus: "1" or "0", without a newline, as multipathd 0.9.4 replies. */
    default ActionResult getPrStatus(String map) {
        return ActionResult.fail("persistent reservations need the policy engine");
    }

    /** map MAP setprstatus (on) / unsetprstatus. */
    default ActionResult setPrStatus(String map, boolean on) {
        return ActionResult.fail("persistent reservations need the policy engine");
    }

    /** map MAP getprkey: "0x..." (":aptpl") and a newline, or "none\n". */
    default ActionResult getPrKey(String map) {
        return ActionResult.fail("persistent reservations need the policy engine");
    }

    /** map MAP setprkey key KEY (KEY as mpathpersist gives it: hex, optionally ":aptpl"). */
    default ActionResult setPrKey(String map, String key) {
        return ActionResult.fail("persistent reservations need the policy engine");
    }

    /** map MAP unsetprkey. */
    default ActionResult unsetPrKey(String map) {
        return ActionResult.fail("persistent reservations need the policy engine");
    }

    /** Stop the daemon (after the reply is sent). */
    ActionResult shutdown();

    /** The configuration the daemon runs with. */
    MultipathConfig config();

    /** multipathd's state word for `show daemon`: "startup", "configure", "idle", "running", "shutdown". */
    String state();
}
