package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * path_latency: a priority from the measured read latency, as
 * libmultipath/prioritizers/path_latency.c computes it. It reads the first block {@code io_num}
 * times one after another, takes the mean of the latencies' logarithms to base {@code base_num}
 * (latencies are taken as log-normal), and gives {@code log(1e8 us) - mean}, clamped to
 * [0, log(1e8 us) - log(1 us)], all in base {@code base_num}: a path ten times faster scores
 * log_base(10) higher. Arguments {@code io_num=N base_num=B} (N 20..200, B 1.1..10); missing or
 * out-of-range ones fall back to io_num=100 base_num=10^(1/4) with an error logged. A failed read
 * gives -1 (the path is down); a mean above 100 s gives 0.
 */
public final class PathLatencyPrioritizer implements Prioritizer {
    private static final Logger log = LoggerFactory.getLogger(PathLatencyPrioritizer.class);
    public static final String NAME = "path_latency";

    static final int MAX_IO_NUM = 200;
    static final int MIN_IO_NUM = 20;
    static final int DEF_IO_NUM = 100;
    static final double MAX_BASE_NUM = 10;
    static final double MIN_BASE_NUM = 1.1;
    static final double DEF_BASE_NUM = 1.77827941004;
    static final double MAX_AVG_LATENCY_US = 100000000.;
    static final double MIN_AVG_LATENCY_US = 1.;

    /** io_num and base_num as parsed from prio_args. */
    record Args(int ioNum, double baseNum) {
        static Args parse(String args, String dev) {
            Integer io = null;
            Double base = null;
            if (args != null) {
                String[] w = args.trim().split("[ \t]+");
                for (int i = 0; i < Math.min(2, w.length); i++) {
                    try {
                        if (w[i].startsWith("io_num=") && w[i].length() > 7) {
                            io = Integer.parseInt(w[i].substring(7));
                        } else if (w[i].startsWith("base_num=") && w[i].length() > 9) {
                            base = Double.parseDouble(w[i].substring(9));
                        }
                    } catch (NumberFormatException e) {
                        io = null;
                        base = null;
                        break;
                    }
                }
            }
            if (io == null || base == null || io < MIN_IO_NUM || io > MAX_IO_NUM || base < MIN_BASE_NUM || base > MAX_BASE_NUM) {
                log.error("path_latency prio: {}: fails to get path_latency args, set default:io_num={} base_num={}",
                        dev, DEF_IO_NUM, String.format("%.3f", DEF_BASE_NUM));
                return new Args(DEF_IO_NUM, DEF_BASE_NUM);
            }
            return new Args(io, base);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        Args a = Args.parse(args, path.devName());
        BlockDevice dev = path.device();
        int size = Math.max(dev.logicalBlockSize(), 4096);
        if ((dev.sizeSectors() << Bio.SECTOR_SHIFT) < size) {
            size = dev.logicalBlockSize();
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(size);
        double lgBase = Math.log(a.baseNum());
        double sum = 0;
        for (int i = 0; i < a.ioNum(); i++) {
            long t0 = System.nanoTime();
            try {
                dev.submit(Bio.read(0, buf.clear())).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.error("path_latency prio: {}: path down", path.devName());
                return -1;
            }
            double us = (System.nanoTime() - t0) / 1000.0;
            if (us >= 1.0) {
                sum += Math.log(us) / lgBase;
            }
        }
        return priority(sum / a.ioNum(), a.baseNum());
    }

    /** calcPrio: the priority of a mean log-latency (in base {@code base}, latencies in us). */
    static int priority(double lgAvg, double base) {
        double lgBase = Math.log(base);
        double lgMax = Math.log(MAX_AVG_LATENCY_US) / lgBase;
        double lgMin = Math.log(MIN_AVG_LATENCY_US) / lgBase;
        if (lgAvg > lgMax) {
            return 0;
        }
        if (lgAvg <= lgMin) {
            return (int) (lgMax - lgMin);
        }
        return (int) (lgMax - lgAvg);
    }
}
