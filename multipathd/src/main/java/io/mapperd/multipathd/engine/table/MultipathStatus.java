package io.mapperd.multipathd.engine.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multipath target's INFO status line, read as multipathd reads the kernel's: per group its state
 * (A active, E enabled, D disabled), per path A/F and the fail count, and the group I/O goes to next.
 *
 * @param groupStates one char per group, in table order
 * @param nextGroup   1-based group the target uses next (0 when none)
 * @param paths       per path (MAJOR:MINOR) whether the target has it active
 * @param failCounts  per path its fail count
 * @param queueIo     the target queues I/O when no path is left
 */
public record MultipathStatus(List<Character> groupStates, int nextGroup, Map<String, Boolean> paths,
                              Map<String, Integer> failCounts, boolean queueIo) {

    /** @throws IllegalArgumentException when the line is not a multipath status line */
    public static MultipathStatus parse(String line) {
        String[] t = line.trim().split("\\s+");
        try {
            int i = 0;
            int nfeat = Integer.parseInt(t[i++]);
            boolean queueIo = nfeat >= 1 && t[i].equals("1");
            i += nfeat;
            int nhw = Integer.parseInt(t[i++]);
            i += nhw;
            int ngroups = Integer.parseInt(t[i++]);
            int next = Integer.parseInt(t[i++]);
            List<Character> states = new ArrayList<>();
            Map<String, Boolean> paths = new LinkedHashMap<>();
            Map<String, Integer> fails = new LinkedHashMap<>();
            for (int g = 0; g < ngroups; g++) {
                states.add(t[i++].charAt(0));
                int gargs = Integer.parseInt(t[i++]);
                i += gargs;
                int npaths = Integer.parseInt(t[i++]);
                int ninfo = Integer.parseInt(t[i++]);
                for (int p = 0; p < npaths; p++) {
                    String dev = t[i++];
                    paths.put(dev, t[i++].equals("A"));
                    fails.put(dev, Integer.parseInt(t[i++]));
                    i += ninfo;
                }
            }
            return new MultipathStatus(List.copyOf(states), next, paths, fails, queueIo);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a multipath status line: " + line, e);
        }
    }

    /** The group I/O goes to: the one the target names next (a switch_group target, else its current group). */
    public int currentGroup() {
        if (nextGroup > 0) {
            return nextGroup;
        }
        int a = groupStates.indexOf('A');
        return a >= 0 ? a + 1 : 0;
    }
}
