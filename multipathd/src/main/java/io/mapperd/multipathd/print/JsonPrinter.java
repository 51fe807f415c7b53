package io.mapperd.multipathd.print;

import io.mapperd.multipathd.view.GroupView;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;

import java.util.List;

/**
 * {@code show maps json} and {@code show map X json} in multipath-tools 0.9.4's layout (format
 * version 0.1): its templates, its indentation of three spaces per level, its "},{" between
 * elements. Values are printed as multipath-tools prints them, unescaped.
 */
public final class JsonPrinter {
    private static final String INDENT = "   ";
    private static final String MAP = """
            {
                  "name" : "%n",
                  "uuid" : "%w",
                  "sysfs" : "%d",
                  "failback" : "%F",
                  "queueing" : "%Q",
                  "paths" : %N,
                  "write_prot" : "%r",
                  "dm_st" : "%t",
                  "features" : "%f",
                  "hwhandler" : "%h",
                  "action" : "%A",
                  "path_faults" : %0,
                  "vend" : "%v",
                  "prod" : "%p",
                  "rev" : "%e",
                  "switch_grp" : %1,
                  "map_loads" : %2,
                  "total_q_time" : %3,
                  "q_timeouts" : %4,""";
    private static final String GROUP = """
            {
                     "selector" : "%s",
                     "pri" : %p,
                     "dm_st" : "%t",
                     "marginal_st" : "%M",""";
    private static final String PATH = """
            {
                        "dev" : "%d",
                        "dev_t" : "%D",
                        "dm_st" : "%t",
                        "dev_st" : "%o",
                        "chk_st" : "%T",
                        "checker" : "%c",
                        "pri" : %p,
                        "host_wwnn" : "%N",
                        "target_wwnn" : "%n",
                        "host_wwpn" : "%R",
                        "target_wwpn" : "%r",
                        "host_adapter" : "%a",
                        "lun_hex" : "%L",
                        "marginal_st" : "%M\"""";

    private JsonPrinter() {
    }

    public static String maps(List<MapView> maps) {
        StringBuilder out = header();
        out.append(INDENT).append("\"maps\": [");
        for (int i = 0; i < maps.size(); i++) {
            fields(out, maps.get(i), i + 1 == maps.size());
        }
        return out.append("]\n").append("}\n").toString();
    }

    public static String map(MapView m) {
        StringBuilder out = header();
        out.append(INDENT).append("\"map\":");
        fields(out, m, true);
        return out.append("\n").append("}\n").toString();
    }

    private static StringBuilder header() {
        return new StringBuilder("{\n").append(INDENT).append("\"major_version\": 0,\n")
                .append(INDENT).append("\"minor_version\": 1,\n");
    }

    private static void fields(StringBuilder out, MapView m, boolean last) {
        Columns.line(out, MapWildcards.ALL, MAP, m, null);
        out.append(INDENT.repeat(2)).append("\"path_groups\": [");
        List<GroupView> groups = m.groups();
        for (int i = 0; i < groups.size(); i++) {
            GroupView g = groups.get(i);
            Columns.line(out, MapWildcards.GROUP, GROUP, g, null);
            out.append(INDENT.repeat(3)).append("\"group\" : ").append(i + 1).append(",\n");
            out.append(INDENT.repeat(3)).append("\"paths\": [");
            List<PathView> paths = g.paths();
            for (int j = 0; j < paths.size(); j++) {
                Columns.line(out, PathWildcards.ALL, PATH, paths.get(j), null);
                footer(out, 3, j + 1 == paths.size());
            }
            out.append("]\n");
            footer(out, 2, i + 1 == groups.size());
        }
        out.append("]\n");
        footer(out, 1, last);
    }

    private static void footer(StringBuilder out, int indent, boolean last) {
        out.append(INDENT.repeat(indent)).append(last ? "}" : "},");
    }
}
