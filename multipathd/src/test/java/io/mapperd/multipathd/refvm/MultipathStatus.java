package io.mapperd.multipathd.refvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's multipath status line ({@code dmsetup status}, after "START LEN multipath") read into
 * its path groups: each group's state (A active, E enabled, D disabled) and each path's dev_t, state
 * (A/F) and fail count. Both the guest's kernel and our target print it, so one reader serves both.
 *
 * @param current the group number the status names as current (or next)
 * @param groups  the groups in table order
 */
record MultipathStatus(int current, List<Group> groups) {
    record Path(String devT, char state, int failures) {
    }

    record Group(char state, List<Path> paths) {
    }

    static MultipathStatus parse(String line) {
        String[] t = line.strip().split("\\s+");
        int i = 0;
        while (i < t.length && !t[i].equals("multipath")) {
            i++;
        }
        if (i == t.length) {
            throw new IllegalArgumentException("not a multipath status line: " + line);
        }
        i++;
        i += 1 + Integer.parseInt(t[i]);          // features
        i += 1 + Integer.parseInt(t[i]);          // hardware handler
        int groups = Integer.parseInt(t[i++]);
        int current = Integer.parseInt(t[i++]);
        List<Group> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            char state = t[i++].charAt(0);
            i += 1 + Integer.parseInt(t[i]);      // selector status args of the group
            int paths = Integer.parseInt(t[i++]);
            int pathArgs = Integer.parseInt(t[i++]);
            List<Path> ps = new ArrayList<>();
            for (int p = 0; p < paths; p++) {
                ps.add(new Path(t[i], t[i + 1].charAt(0), Integer.parseInt(t[i + 2])));
                i += 3 + pathArgs;
            }
            out.add(new Group(state, ps));
        }
        return new MultipathStatus(current, out);
    }

    /** The 1-based number of the group in state A (I/O goes there), or 0 when none is. */
    int activeGroup() {
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).state() == 'A') {
                return g + 1;
            }
        }
        return 0;
    }

    /** The state (A/F) of the path {@code devT}, or '?' when the map does not hold it. */
    char pathState(String devT) {
        for (Group g : groups) {
            for (Path p : g.paths()) {
                if (p.devT().equals(devT)) {
                    return p.state();
                }
            }
        }
        return '?';
    }
}
