package io.mapperd.multipathd.command;

import io.mapperd.conf.ConfigPrinter;
import io.mapperd.conf.MultipathConfig;
import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.Peer;
import io.mapperd.multipathd.print.Columns;
import io.mapperd.multipathd.print.JsonPrinter;
import io.mapperd.multipathd.print.MapWildcards;
import io.mapperd.multipathd.print.PathWildcards;
import io.mapperd.multipathd.print.StatusPrinter;
import io.mapperd.multipathd.print.TopologyPrinter;
import io.mapperd.multipathd.print.WildcardsPrinter;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * multipathd's command language (multipath-tools 0.9.4): its keywords and abbreviations, its
 * replies byte for byte ("ok", "fail", the help on a malformed command, "permission deny: need to
 * be root" for a change asked by an unprivileged client), its `show` formats. `show` commands read
 * one snapshot of the topology and take no lock, so they answer while an action runs.
 *
 * <p>Extensions: {@code show version}; {@code reconfigure dry-run} (or {@code --dry-run}), which
 * prints what a reconfigure would change; {@code multipath -ll [MAP]}, the topology as
 * multipath(8) prints it, for `mapperd multipath -ll` (answered in a {@link Reply} envelope).
 */
public final class MultipathdCommands {
    private static final Logger LOG = LoggerFactory.getLogger(MultipathdCommands.class);
    public static final String MULTIPATH_TOOLS_VERSION = "0.9.4";
    public static final String PERMISSION_DENY = "permission deny: need to be root\n";
    static final String PRINT_PATH_CHECKER = "%i %d %D %p %t %T %o %C";
    static final String PRINT_MAP_STATUS = "%n %F %Q %N %t %r";
    static final String PRINT_MAP_STATS = "%n %0 %1 %2 %3 %4";
    static final String PRINT_MAP_NAMES = "%n %d %w";

    private final String version;
    private final TopologySource topology;
    private final DaemonActions actions;
    private final Supplier<List<String>> blockDevices;
    private final long pid = ProcessHandle.current().pid();

    public MultipathdCommands(String version, TopologySource topology, DaemonActions actions,
                              Supplier<List<String>> blockDevices) {
        this.version = version;
        this.topology = topology;
        this.actions = actions;
        this.blockDevices = blockDevices;
    }

    /** Answers one command line, as received (multipathd's help quotes it back verbatim). */
    public String handle(String line, Peer peer, AccessPolicy policy) {
        List<String> words = CommandWords.split(line);
        Optional<String> extension = words == null ? Optional.empty() : extension(words);
        if (extension.isPresent()) {
            return extension.get();
        }
        ParsedCommand cmd = ParsedCommand.parse(line);
        switch (cmd.error()) {
            case NOT_FOUND -> {
                return "fail\n";
            }
            case EMPTY, NOT_FOUND_AT_END, MISSING_ARGUMENT -> {
                return Handler.help(line, cmd.error());
            }
            default -> {
            }
        }
        Handler h = Handler.find(cmd.fingerprint());
        if (h == null) {
            return Handler.help(line, ParsedCommand.Error.MISSING_ARGUMENT);
        }
        if (!h.isRead() && !policy.mayChange(peer)) {
            LOG.warn("unauthorized command \"{}\" from {}", line.strip(), peer);
            return PERMISSION_DENY;
        }
        ActionResult r = run(h, cmd);
        if (!r.succeeded() && !r.reason().isEmpty()) {
            LOG.info("\"{}\" failed: {}", line.strip(), r.reason());
        }
        return r.text();
    }

    private Optional<String> extension(List<String> words) {
        Keyword first = Keyword.find(words.getFirst());
        if (words.size() == 2 && first != null && first.code() == Keyword.Code.LIST && words.get(1).equals("version")) {
            return Optional.of("multipath-tools v" + MULTIPATH_TOOLS_VERSION + " (mapperd " + version + ")\n");
        }
        if (words.size() == 2 && first != null && first.code() == Keyword.Code.RECONFIGURE
                && (words.get(1).equals("dry-run") || words.get(1).equals("--dry-run"))) {
            return Optional.of(actions.reconfigure(false, true).text());
        }
        if (words.size() >= 2 && words.size() <= 3 && words.get(0).equals("multipath") && words.get(1).equals("-ll")) {
            return Optional.of(multipathLl(words.size() == 3 ? devName(words.get(2)) : null).envelope());
        }
        return Optional.empty();
    }

    private Reply multipathLl(String name) {
        List<MapView> maps = topology.maps();
        StringBuilder out = new StringBuilder();
        if (name == null) {
            maps.forEach(m -> TopologyPrinter.multipathLl(out, m));
            return Reply.ok(out.toString());
        }
        Optional<MapView> m = findMap(maps, name);
        if (m.isEmpty()) {
            return new Reply("", name + ": no such multipath map\n", 1);
        }
        TopologyPrinter.multipathLl(out, m.get());
        return Reply.ok(out.toString());
    }

    private ActionResult run(Handler h, ParsedCommand cmd) {
        String path = cmd.param(Keyword.Code.PATH) == null ? null : devName(cmd.param(Keyword.Code.PATH));
        String map = cmd.param(Keyword.Code.MAP) == null ? null : devName(cmd.param(Keyword.Code.MAP));
        String fmt = cmd.param(Keyword.Code.FMT);
        return switch (h) {
            case LIST_PATHS -> ActionResult.ok(showPaths(PRINT_PATH_CHECKER, true));
            case LIST_PATHS_FMT -> ActionResult.ok(showPaths(fmt, true));
            case LIST_PATHS_RAW -> ActionResult.ok(showPaths(fmt, false));
            case LIST_PATH -> withPath(path, false, p -> {
                StringBuilder b = new StringBuilder();
                Columns.line(b, PathWildcards.ALL, "%o", p, null);
                return ActionResult.ok(b.toString());
            });
            case LIST_MAPS -> ActionResult.ok(showMaps(PRINT_MAP_NAMES, true));
            case LIST_STATUS -> ActionResult.ok(StatusPrinter.status(topology.paths()));
            case LIST_DAEMON -> ActionResult.ok("pid " + pid + " " + actions.state() + "\n");
            case LIST_MAPS_STATUS -> ActionResult.ok(showMaps(PRINT_MAP_STATUS, true));
            case LIST_MAPS_STATS -> ActionResult.ok(showMaps(PRINT_MAP_STATS, true));
            case LIST_MAPS_FMT -> ActionResult.ok(showMaps(fmt, true));
            case LIST_MAPS_RAW -> ActionResult.ok(showMaps(fmt, false));
            case LIST_MAPS_TOPOLOGY, LIST_TOPOLOGY -> {
                topology.refreshMaps(null); // as multipathd's show_maps_topology: the kernel's state now
                List<PathView> paths = topology.paths();
                StringBuilder b = new StringBuilder();
                topology.maps().forEach(m -> TopologyPrinter.daemon(b, m, paths));
                yield ActionResult.ok(b.toString());
            }
            case LIST_MAPS_JSON -> ActionResult.ok(JsonPrinter.maps(topology.maps()));
            case LIST_MAP_TOPOLOGY -> {
                topology.refreshMaps(map);
                List<PathView> paths = topology.paths();
                yield withMap(map, m -> {
                    StringBuilder b = new StringBuilder();
                    TopologyPrinter.daemon(b, m, paths);
                    return ActionResult.ok(b.toString());
                });
            }
            case LIST_MAP_FMT, LIST_MAP_RAW_FMT -> {
                List<MapView> maps = topology.maps();
                int[] widths = Columns.widths(MapWildcards.ALL, maps, true);
                yield findMap(maps, map).map(m -> {
                    StringBuilder b = new StringBuilder();
                    Columns.line(b, MapWildcards.ALL, fmt, m, widths);
                    return ActionResult.ok(b.toString());
                }).orElseGet(() -> ActionResult.fail(map + ": no such map"));
            }
            case LIST_MAP_JSON -> withMap(map, m -> ActionResult.ok(JsonPrinter.map(m)));
            case LIST_CONFIG -> ActionResult.ok(ConfigPrinter.showConfig(actions.config()));
            case LIST_CONFIG_LOCAL -> {
                Map<String, String> local = new LinkedHashMap<>();
                topology.maps().forEach(m -> local.put(m.wwid(), m.name()));
                yield ActionResult.ok(ConfigPrinter.showConfig(actions.config(), local));
            }
            case LIST_BLACKLIST -> ActionResult.ok(ConfigPrinter.showBlacklist(actions.config()));
            case LIST_DEVICES -> {
                MultipathConfig c = actions.config();
                Set<String> monitored = topology.paths().stream().map(PathView::dev).collect(Collectors.toSet());
                yield ActionResult.ok(ConfigPrinter.showDevices(c, blockDevices.get(), monitored));
            }
            case LIST_WILDCARDS -> ActionResult.ok(WildcardsPrinter.wildcards());
            case RESET_MAPS_STATS -> forEachMap("reset stats", actions::resetStats);
            case RESET_MAP_STATS -> withMap(map, m -> log(m.name() + ": reset stats", actions.resetStats(m.name())));
            case ADD_PATH -> log(path + ": add path", actions.addPath(path));
            case DEL_PATH -> withPath(path, false, p -> log(p.dev() + ": remove path", actions.delPath(p.dev())));
            case ADD_MAP -> log(map + ": add map", actions.addMap(map));
            case DEL_MAP -> withMap(map, m -> log(m.name() + ": remove map", actions.delMap(m.name())));
            case DEL_MAPS -> forEachMap("remove map", actions::delMap);
            case SWITCH_GROUP -> withMap(map, m -> switchGroup(m, cmd.param(Keyword.Code.GROUP)));
            case RECONFIGURE -> log("reconfigure", actions.reconfigure(false, false));
            case RECONFIGURE_ALL -> log("reconfigure all", actions.reconfigure(true, false));
            case SUSPEND_MAP -> withMap(map, m -> log(m.name() + ": suspend", actions.suspendMap(m.name())));
            case RESUME_MAP -> withMap(map, m -> log(m.name() + ": resume", actions.resumeMap(m.name())));
            case RESIZE_MAP -> withMap(map, m -> log(m.name() + ": resize map", actions.resizeMap(m.name())));
            case RELOAD_MAP -> withMap(map, m -> log(m.name() + ": reload map", actions.reloadMap(m.name())));
            case RESET_MAP -> withMap(map, m -> log(m.name() + ": reset devices", actions.resetMap(m.name())));
            case REINSTATE_PATH -> withPath(path, true, p -> log(p.map() + ": reinstate path " + p.devT(), actions.reinstatePath(p.dev())));
            case FAIL_PATH -> withPath(path, true, p -> log(p.map() + ": fail path " + p.devT(), actions.failPath(p.dev())));
            case DISABLEQ_MAP -> withMap(map, m -> log(m.name() + ": disable map queueing", actions.disableQueueing(m.name())));
            case RESTOREQ_MAP -> withMap(map, m -> log(m.name() + ": restore map queueing", actions.restoreQueueing(m.name())));
            case DISABLEQ_MAPS -> forEachMap("disable queueing", actions::disableQueueing);
            case RESTOREQ_MAPS -> forEachMap("restore queueing", actions::restoreQueueing);
            case QUIT -> ActionResult.ok();
            case SHUTDOWN -> log("shutdown", actions.shutdown());
            case GETPRSTATUS_MAP -> withMap(map, m -> actions.getPrStatus(m.name()));
            case SETPRSTATUS_MAP -> withMap(map, m -> actions.setPrStatus(m.name(), true));
            case UNSETPRSTATUS_MAP -> withMap(map, m -> actions.setPrStatus(m.name(), false));
            case GETPRKEY_MAP -> withMap(map, m -> actions.getPrKey(m.name()));
            case SETPRKEY_MAP -> withMap(map, m -> log(m.name() + ": set persistent reservation key", actions.setPrKey(m.name(),
                    cmd.param(Keyword.Code.KEY))));
            case UNSETPRKEY_MAP -> withMap(map, m -> log(m.name() + ": unset persistent reservation key", actions.unsetPrKey(m.name())));
            case FORCEQ_DAEMON, RESTOREQ_DAEMON ->
                    ActionResult.fail("queue_without_daemon is not kept by this daemon: maps outlive it only inside it");
            case SETMARGINAL_PATH, UNSETMARGINAL_PATH, UNSETMARGINAL_MAP ->
                    ActionResult.fail("marginal state is set by the marginal path detection only");
        };
    }

    private ActionResult switchGroup(MapView m, String group) {
        int g;
        try {
            g = Integer.parseInt(group);
        } catch (NumberFormatException e) {
            return ActionResult.fail("switchgroup " + m.name() + ": group " + group + " is not a number");
        }
        if (g < 1 || g > m.groups().size()) {
            return ActionResult.fail("switchgroup " + m.name() + ": no group " + g + " (the map has " + m.groups().size() + ")");
        }
        return log(m.name() + ": switch to path group #" + g, actions.switchGroup(m.name(), g));
    }

    private String showPaths(String format, boolean pretty) {
        List<PathView> paths = topology.paths();
        if (paths.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int[] widths = pretty ? Columns.widths(PathWildcards.ALL, paths, true) : null;
        if (pretty) {
            Columns.header(b, PathWildcards.ALL, format, widths);
        }
        paths.forEach(p -> Columns.line(b, PathWildcards.ALL, format, p, widths));
        return b.toString();
    }

    private String showMaps(String format, boolean pretty) {
        List<MapView> maps = topology.maps();
        if (maps.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int[] widths = pretty ? Columns.widths(MapWildcards.ALL, maps, true) : null;
        if (pretty) {
            Columns.header(b, MapWildcards.ALL, format, widths);
        }
        maps.forEach(m -> Columns.line(b, MapWildcards.ALL, format, m, widths));
        return b.toString();
    }

    private ActionResult withMap(String name, Function<MapView, ActionResult> f) {
        return findMap(topology.maps(), name).map(f).orElseGet(() -> ActionResult.fail(name + ": no such map"));
    }

    /** {@code inMap}: the path must belong to a map (fail/reinstate); found by name, or by MAJOR:MINOR when so. */
    private ActionResult withPath(String dev, boolean inMap, Function<PathView, ActionResult> f) {
        List<PathView> paths = topology.paths();
        Optional<PathView> p = paths.stream().filter(x -> dev.equals(x.dev())).findFirst();
        if (p.isEmpty() && inMap) {
            p = paths.stream().filter(x -> dev.equals(x.devT())).findFirst();
        }
        if (p.isEmpty()) {
            return ActionResult.fail(dev + ": no such path");
        }
        if (inMap && PathWildcards.orphan(p.get())) {
            return ActionResult.fail(dev + ": path is in no map");
        }
        return f.apply(p.get());
    }

    private ActionResult forEachMap(String what, Function<String, ActionResult> action) {
        boolean ok = true;
        StringBuilder reasons = new StringBuilder();
        for (MapView m : topology.maps()) {
            ActionResult r = log(m.name() + ": " + what, action.apply(m.name()));
            if (!r.succeeded()) {
                ok = false;
                reasons.append(reasons.isEmpty() ? "" : "; ").append(m.name()).append(": ").append(r.reason());
            }
        }
        return ok ? ActionResult.ok() : ActionResult.fail(reasons.toString());
    }

    private static ActionResult log(String what, ActionResult r) {
        LOG.info("{} (operator): {}", what, r.succeeded() ? "done" : "failed" + (r.reason().isEmpty() ? "" : ": " + r.reason()));
        return r;
    }

    /** A map by its name or dm-N. */
    static Optional<MapView> findMap(List<MapView> maps, String name) {
        if (name == null) {
            return Optional.empty();
        }
        boolean dm = name.matches("dm-[0-9]+");
        return maps.stream().filter(m -> dm ? name.equals(m.dmDev()) : name.equals(m.name())).findFirst();
    }

    /** multipathd's convert_dev: a "/dev/" prefix is dropped. */
    static String devName(String name) {
        return name.startsWith("/dev/") && name.length() > 5 ? name.substring(5) : name;
    }
}
