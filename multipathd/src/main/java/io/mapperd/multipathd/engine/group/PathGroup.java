package io.mapperd.multipathd.engine.group;

import java.util.List;

/**
 * A priority group as the table will hold it: its members in table order and its priority (the
 * mean of the usable members' priorities, 0 with none usable, as multipath-tools computes it).
 */
public record PathGroup(List<GroupMember> members, int priority, boolean marginal) {
    public PathGroup {
        members = List.copyOf(members);
    }

    public static PathGroup of(List<GroupMember> members, boolean marginal) {
        int sum = 0;
        int n = 0;
        for (GroupMember m : members) {
            if (m.usable() && m.priority() >= 0) {
                sum += m.priority();
                n++;
            }
        }
        return new PathGroup(members, n == 0 ? 0 : sum / n, marginal);
    }

    public long usableCount() {
        return members.stream().filter(GroupMember::usable).count();
    }
}
