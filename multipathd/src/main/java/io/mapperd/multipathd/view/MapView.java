package io.mapperd.multipathd.view;

import java.util.List;

/**
 * A multipath map as multipath-tools' `show maps` wildcards and `multipath -ll` present it.
 *
 * @param name         alias or WWID (the mapped device's name)
 * @param wwid         the map's WWID (dm uuid without the "mpath-" prefix)
 * @param dmDev        dm-N
 * @param vendor       vendor of the paths
 * @param product      product of the paths
 * @param revision     revision of the paths
 * @param sizeSectors  size in 512-byte sectors
 * @param features     the table's features string ("1 queue_if_no_path")
 * @param hwHandler    the table's hardware handler string ("1 alua" or "0")
 * @param writeProt    "rw" or "ro"
 * @param dmState      "active" or "suspend"
 * @param failback     "immediate", "manual", "followover", or seconds as text
 * @param queueing     "on", "off", "-", or "N chk" (no_path_retry countdown)
 * @param pathFaults   count of path failures
 * @param switchGroups count of group switches
 * @param mapLoads     count of table loads
 * @param totalQueueTimeSecs seconds spent queueing
 * @param queueTimeouts count of no_path_retry expiries
 * @param action       what the last map update did ("create", "reload", "switchpg", "")
 * @param groups       priority groups in table order
 */
public record MapView(
        String name,
        String wwid,
        String dmDev,
        String vendor,
        String product,
        String revision,
        long sizeSectors,
        String features,
        String hwHandler,
        String writeProt,
        String dmState,
        String failback,
        String queueing,
        long pathFaults,
        long switchGroups,
        long mapLoads,
        long totalQueueTimeSecs,
        long queueTimeouts,
        String action,
        List<GroupView> groups) {
    public MapView {
        groups = List.copyOf(groups);
    }

    public int pathCount() {
        return groups.stream().mapToInt(g -> g.paths().size()).sum();
    }
}
