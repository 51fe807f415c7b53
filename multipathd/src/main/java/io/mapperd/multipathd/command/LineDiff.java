package io.mapperd.multipathd.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The difference between two texts line by line, for `reconfigure dry-run`: unchanged lines are
 * left out, removed lines start with "- ", added lines with "+ " (longest common subsequence).
 */
public final class LineDiff {
    private LineDiff() {
    }

    public static String diff(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("- " + a.get(i++));
            } else {
                out.add("+ " + b.get(j++));
            }
        }
        StringBuilder s = new StringBuilder();
        out.forEach(l -> s.append(l).append('\n'));
        return s.toString();
    }
}
