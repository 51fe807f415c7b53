package io.mapperd.multipathd.engine.state;

import io.mapperd.conf.ResolvedSettings;
import io.mapperd.multipathd.engine.group.PathGroup;
import io.mapperd.multipathd.engine.table.MultipathStatus;

import java.util.ArrayList;
import java.util.List;

/** The engine's mutable state of one map. Only the engine's thread touches it. */
public final class MapRecord {
    public final String wwid;
    public String name;
    public ResolvedSettings settings;
    /** Shaky-path detection as selected for this map (san_path_err_*, or delay_*_checks mapped onto them). */
    public io.mapperd.multipathd.engine.SanPathErr sanPathErr = io.mapperd.multipathd.engine.SanPathErr.OFF;
    public final List<PathRecord> paths = new ArrayList<>();
    /** The groups of the table now loaded (or being loaded), in table order. */
    public List<PathGroup> groups = List.of();
    /** The table now loaded (or being loaded), "" when none. */
    public String table = "";
    public String features = "0";
    public String hwHandler = "0";
    public String selector = "service-time 0";
    public long sizeSectors;
    public boolean created;
    /** A remove is under way (del map, or its last path went): no reloads meanwhile. */
    public boolean flushing;
    /** mpathpersist's flag: the map's key is registered (setprstatus, or found on a path's READ KEYS). */
    public boolean prflag;
    /** ghost_delay: seconds left to wait for an active path before the map is made, 0 when not waiting. */
    public int ghostDelayTicks;
    public boolean ghostDelayExpired;
    /** The device-mapper has the map (its create completed): only then is it shown. */
    public boolean live;
    public MultipathStatus status;
    public String dmDev = "";
    public boolean suspended;
    public String action = "";
    // counters
    public long pathFaults;
    public long switchGroups;
    public long mapLoads;
    public long queueTimeouts;
    public long queueingSinceMillis = -1;
    public long totalQueueMillis;
    // no_path_retry countdown in seconds (ticks): >0 counting, 0 idle, -1 expired
    public int retryTicks;
    public boolean queueDisabled;
    // failback N: seconds left until the switch, 0 when none pending
    public int failbackTicks;

    public MapRecord(String wwid) {
        this.wwid = wwid;
    }
}
