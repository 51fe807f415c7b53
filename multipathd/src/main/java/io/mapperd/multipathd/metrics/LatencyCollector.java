package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.stats.IoStats;
import io.mapperd.dm.core.stats.LatencyHistogram;
import io.mapperd.dm.io.BioOp;
import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The I/O latency histograms of maps and paths. dm-core fills fixed buckets without allocating
 * on the I/O path; Micrometer has no meter for pre-bucketed data, so these families are written
 * straight into the same Prometheus registry at scrape time.
 */
final class LatencyCollector extends Collector implements Collector.Describable {
    static final String MAP = "mapperd_map_io_duration_seconds";
    static final String PATH = "mapperd_path_io_duration_seconds";
    private static final String MAP_HELP = "Time from submission to completion of bios on the mapped device, by direction";
    private static final String PATH_HELP = "Time from dispatch to completion of bios on a multipath path, by direction";

    private final Supplier<? extends Iterable<DeviceMeters>> devices;
    private final String[] les;

    LatencyCollector(Supplier<? extends Iterable<DeviceMeters>> devices) {
        this.devices = devices;
        double[] b = LatencyHistogram.boundsSeconds();
        les = new String[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            les[i] = Collector.doubleToGoString(b[i]);
        }
        les[b.length] = "+Inf";
    }

    @Override
    public List<MetricFamilySamples> describe() {
        return List.of(new MetricFamilySamples(MAP, Type.HISTOGRAM, MAP_HELP, List.of()),
                new MetricFamilySamples(PATH, Type.HISTOGRAM, PATH_HELP, List.of()));
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples.Sample> maps = new ArrayList<>();
        List<MetricFamilySamples.Sample> paths = new ArrayList<>();
        for (DeviceMeters d : devices.get()) {
            add(maps, MAP, List.of("map"), List.of(d.map()), d.mapStats());
            for (DeviceMeters.PathEntry p : d.paths()) {
                add(paths, PATH, List.of("map", "path"), List.of(p.map(), p.path()), p.pgPath().ioStats());
            }
        }
        return List.of(new MetricFamilySamples(MAP, Type.HISTOGRAM, MAP_HELP, maps),
                new MetricFamilySamples(PATH, Type.HISTOGRAM, PATH_HELP, paths));
    }

    private void add(List<MetricFamilySamples.Sample> out, String name, List<String> names, List<String> values, IoStats s) {
        for (BioOp op : Directions.OPS) {
            LatencyHistogram h = s.latency(op);
            long[] c = h.cumulativeCounts();
            // labels in name order, as Micrometer writes its own series
            List<String> ln = new ArrayList<>(List.of("direction"));
            ln.addAll(names);
            List<String> lv = new ArrayList<>(List.of(Directions.label(op)));
            lv.addAll(values);
            List<String> bn = new ArrayList<>(ln);
            bn.add("le");
            for (int i = 0; i < c.length; i++) {
                List<String> bv = new ArrayList<>(lv);
                bv.add(les[i]);
                out.add(new MetricFamilySamples.Sample(name + "_bucket", bn, bv, c[i]));
            }
            out.add(new MetricFamilySamples.Sample(name + "_count", ln, lv, c[c.length - 1]));
            out.add(new MetricFamilySamples.Sample(name + "_sum", ln, lv, h.sumSeconds()));
        }
    }
}
