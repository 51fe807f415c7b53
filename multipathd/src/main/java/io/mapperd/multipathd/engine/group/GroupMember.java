package io.mapperd.multipathd.engine.group;

import io.mapperd.dm.io.DevT;

/**
 * What grouping needs to know of one path.
 *
 * @param devT      the path's device number (the table names it so)
 * @param priority  the path's priority, -1 when unknown
 * @param usable    the checker finds it up or ghost
 * @param serial    unit serial number (group_by_serial)
 * @param nodeName  target node name (group_by_node_name)
 * @param tpg       target port group (group_by_tpg), -1 when none
 * @param marginal  the path is marginal (kept out of the normal groups when marginal_pathgroups is on)
 */
public record GroupMember(DevT devT, int priority, boolean usable, String serial, String nodeName, int tpg,
                          boolean marginal) {
}
