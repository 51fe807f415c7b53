package io.mapperd.bench;

import io.mapperd.dm.core.stats.IoStats;
import io.mapperd.dm.io.BioOp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What accounting adds to one bio, isolated from the I/O: the nanoTime pair and one
 * {@link IoStats#record} (three adders and a histogram bucket), in ns per bio, single thread and
 * with two threads updating the same device's stats.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IoStatsRecordBenchmark {
    private final IoStats stats = new IoStats();

    @Benchmark
    public void record() {
        long start = System.nanoTime();
        long latency = ThreadLocalRandom.current().nextLong(2_000_000);
        stats.record(BioOp.READ, 4096, System.nanoTime() - start + latency, false);
    }

    @Benchmark
    public long baseline() {
        long start = System.nanoTime();
        return ThreadLocalRandom.current().nextLong(2_000_000) + start;
    }
}
