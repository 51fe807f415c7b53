package io.mapperd.multipathd.print;

import io.mapperd.multipathd.view.GroupView;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;

import java.util.List;
import java.util.function.Function;

import static io.mapperd.multipathd.print.PathWildcards.blank;
import static io.mapperd.multipathd.print.PathWildcards.or;

/**
 * The multipath (map) wildcards of multipath-tools 0.9.4, in its order and with its headers.
 * {@code %N} counts the paths whose checker says ready or ghost (count_active_paths). {@code %F}
 * prints "immediate" and "followover" as given, "-" for manual or a deferred failback that is not
 * counting down, and any other text (a countdown already drawn) as given. {@code %x} (map failures)
 * prints the no_path_retry expiries, the failures the view records.
 */
public final class MapWildcards {
    public static final List<Wildcard<MapView>> ALL = List.of(
            new Wildcard<>('n', "name", m -> or(m.name(), m.wwid())),
            new Wildcard<>('w', "uuid", MapView::wwid),
            new Wildcard<>('d', "sysfs", m -> or(m.dmDev(), "undef")),
            new Wildcard<>('F', "failback", MapWildcards::failback),
            new Wildcard<>('Q', "queueing", m -> m.queueing() == null ? "" : m.queueing()),
            new Wildcard<>('N', "paths", m -> Long.toString(activePaths(m))),
            new Wildcard<>('r', "write_prot", m -> or(m.writeProt(), "undef")),
            new Wildcard<>('t', "dm-st", m -> or(m.dmState(), "undef")),
            new Wildcard<>('S', "size", m -> Sizes.of(m.sizeSectors())),
            new Wildcard<>('f', "features", m -> PathWildcards.nz(m.features())),
            new Wildcard<>('x', "failures", m -> Long.toString(m.queueTimeouts())),
            new Wildcard<>('h', "hwhandler", m -> PathWildcards.nz(m.hwHandler())),
            new Wildcard<>('A', "action", m -> PathWildcards.nz(m.action())),
            new Wildcard<>('0', "path_faults", m -> Long.toString(m.pathFaults())),
            new Wildcard<>('1', "switch_grp", m -> Long.toString(m.switchGroups())),
            new Wildcard<>('2', "map_loads", m -> Long.toString(m.mapLoads())),
            new Wildcard<>('3', "total_q_time", m -> Long.toString(m.totalQueueTimeSecs())),
            new Wildcard<>('4', "q_timeouts", m -> Long.toString(m.queueTimeouts())),
            new Wildcard<>('s', "vend/prod/rev", MapWildcards::vendorProduct),
            new Wildcard<>('v', "vend", m -> first(m, PathView::vendor, m.vendor())),
            new Wildcard<>('p', "prod", m -> first(m, PathView::product, m.product())),
            new Wildcard<>('e', "rev", m -> first(m, PathView::revision, m.revision())),
            new Wildcard<>('G', "foreign", m -> "--"),
            new Wildcard<>('g', "vpd page data", m -> "[undef]"));

    /** The path group wildcards ("pathgroup format wildcards"). */
    public static final List<Wildcard<GroupView>> GROUP = List.of(
            new Wildcard<>('s', "selector", g -> PathWildcards.nz(g.selector())),
            new Wildcard<>('p', "pri", g -> Integer.toString(g.priority())),
            new Wildcard<>('t', "dm_st", g -> or(g.status(), "undef")),
            new Wildcard<>('M', "marginal_st", g -> g.marginal() ? "marginal" : "normal"));

    private MapWildcards() {
    }

    public static long activePaths(MapView m) {
        return m.groups().stream().flatMap(g -> g.paths().stream())
                .filter(p -> "ready".equals(p.checkerState()) || "ghost".equals(p.checkerState())).count();
    }

    static String failback(MapView m) {
        String f = m.failback();
        if (blank(f) || f.equals("manual") || f.chars().allMatch(Character::isDigit)) {
            return "-";
        }
        return f;
    }

    static String vendorProduct(MapView m) {
        for (GroupView g : m.groups()) {
            for (PathView p : g.paths()) {
                if (!blank(p.vendor()) && !blank(p.product())) {
                    return p.vendor() + "," + p.product();
                }
            }
        }
        if (!blank(m.vendor()) && !blank(m.product())) {
            return m.vendor() + "," + m.product();
        }
        return "##,##";
    }

    static String first(MapView m, Function<PathView, String> field, String mapValue) {
        for (GroupView g : m.groups()) {
            for (PathView p : g.paths()) {
                String v = field.apply(p);
                if (!blank(v)) {
                    return v;
                }
            }
        }
        return blank(mapValue) ? "##" : mapValue;
    }
}
