package io.mapperd.multipathd.print;

import io.mapperd.multipathd.view.GroupView;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;

import java.util.List;

/**
 * A map's topology as {@code multipath -ll} and multipathd's {@code show topology} print it: the
 * map line, its properties, then each path group and its paths drawn as a tree. multipathd pads
 * the path columns over every path it knows and prefixes the map line with the last action
 * ("create: "); multipath -ll pads over the map's own paths and prints no action.
 */
public final class TopologyPrinter {
    static final String MAP_PROPS = "size=%S features='%f' hwhandler='%h' wp=%r";
    static final String GROUP = "policy='%s' prio=%p status=%t";
    static final String PATH = "%i %d %D %t %T %o";

    private TopologyPrinter() {
    }

    /** multipathd's `show topology` / `show map X topology`: columns padded over {@code allPaths}. */
    public static void daemon(StringBuilder out, MapView m, List<PathView> allPaths) {
        print(out, m, Columns.widths(PathWildcards.ALL, allPaths, false), true);
    }

    /** multipath -ll: columns padded over the map's own paths, no action. */
    public static void multipathLl(StringBuilder out, MapView m) {
        print(out, m, ownWidths(m), false);
    }

    /**
     * multipath -d -v2: as multipath -ll, with the action field always there; 0.9.4's dry-run action
     * prints as nothing, so the line starts with ": " (the plan's action, if one is set, is printed).
     */
    public static void multipathDryRun(StringBuilder out, MapView m) {
        print(out, m, ownWidths(m), true, true);
    }

    private static int[] ownWidths(MapView m) {
        int[] w = new int[PathWildcards.ALL.size()];
        for (GroupView g : m.groups()) {
            Columns.widen(PathWildcards.ALL, g.paths(), w);
        }
        return w;
    }

    private static void print(StringBuilder out, MapView m, int[] pathWidths, boolean withAction) {
        print(out, m, pathWidths, withAction, false);
    }

    private static void print(StringBuilder out, MapView m, int[] pathWidths, boolean withAction, boolean alwaysAction) {
        int[] mapWidths = new int[MapWildcards.ALL.size()];
        String action = m.action() == null ? "" : m.action();
        String style = (withAction && (alwaysAction || !action.isEmpty()) ? "%A: " : "") + "%n"
                + (m.name() != null && !m.name().equals(m.wwid()) ? " (%w)" : "") + " %d %s";
        Columns.line(out, MapWildcards.ALL, style, m, mapWidths);
        Columns.line(out, MapWildcards.ALL, MAP_PROPS, m, mapWidths);
        List<GroupView> groups = m.groups();
        for (int j = 0; j < groups.size(); j++) {
            boolean lastGroup = j + 1 == groups.size();
            out.append(lastGroup ? '`' : '|').append("-+- ");
            Columns.line(out, MapWildcards.GROUP, GROUP, groups.get(j), null);
            List<PathView> paths = groups.get(j).paths();
            for (int i = 0; i < paths.size(); i++) {
                out.append(lastGroup ? ' ' : '|').append(' ').append(i + 1 == paths.size() ? '`' : '|').append("- ");
                Columns.line(out, PathWildcards.ALL, PATH, paths.get(i), pathWidths);
            }
        }
    }
}
