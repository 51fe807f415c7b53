package io.mapperd.multipathd.metrics;

import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Path state as the policy engine sees it, from {@link TopologySource} snapshots: the checker's
 * verdict (one series per known state, 1 for the current one, so "paths by state" sums cleanly)
 * and the priority. Refreshed on the metrics thread; the rows follow paths as they come and go.
 */
final class TopologyMetrics {
    /** The checker states multipath-tools reports; a path in another state adds its own series. */
    static final List<String> STATES = List.of("ready", "faulty", "ghost", "shaky", "pending", "delayed", "undef");

    private final MultiGauge checkerState;
    private final MultiGauge priority;
    private final PathNamer namer;
    private volatile TopologySource source;

    TopologyMetrics(MeterRegistry registry, PathNamer namer) {
        this.namer = namer;
        checkerState = MultiGauge.builder("mapperd.path.checker.state")
                .description("1 for the path checker's current verdict on the path, 0 for the other states")
                .register(registry);
        priority = MultiGauge.builder("mapperd.path.priority")
                .description("The path's priority as the prioritizer computed it (-1: undefined)")
                .register(registry);
    }

    void source(TopologySource s) {
        source = s;
    }

    void refresh() {
        TopologySource src = source;
        List<PathView> paths = src == null ? List.of() : src.paths();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        List<MultiGauge.Row<?>> prios = new ArrayList<>();
        Map<String, String> byDevT = new HashMap<>();
        for (PathView p : paths) {
            byDevT.put(p.devT(), p.dev());
            Tags t = Tags.of("map", p.map(), "path", p.dev());
            Set<String> all = new LinkedHashSet<>(STATES);
            all.add(p.checkerState());
            for (String s : all) {
                states.add(MultiGauge.Row.of(t.and("state", s), s.equals(p.checkerState()) ? 1 : 0));
            }
            prios.add(MultiGauge.Row.of(t, p.priority()));
        }
        namer.topology(byDevT);
        checkerState.register(states, true);
        priority.register(prios, true);
    }
}
