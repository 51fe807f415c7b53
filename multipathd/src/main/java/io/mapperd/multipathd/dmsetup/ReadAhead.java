package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Table;

import java.util.List;

/**
 * The read-ahead the kernel gives a mapped device, in sectors: the block layer's default of 128 KiB,
 * or twice the optimal I/O size when that is larger. The optimal I/O size comes from the table as
 * the kernel stacks queue limits: striped asks for chunk * stripes, and a device above keeps the
 * optimal size of the mapped devices below it (least common multiple).
 */
final class ReadAhead {
    static final long DEFAULT_SECTORS = 256;

    private ReadAhead() {
    }

    static long sectors(MappedDevice md) {
        return Math.max(DEFAULT_SECTORS, 2 * ioOpt(md, 0));
    }

    private static long ioOpt(MappedDevice md, int depth) {
        Table t = md.activeTable();
        if (t == null || depth > 16) {
            return 0;
        }
        long opt = 0;
        for (Table.Entry e : t.entries()) {
            if (e.type().name().equals("striped")) {
                List<String> a = List.of(e.target().status(StatusType.TABLE).split(" "));
                try {
                    opt = lcm(opt, Long.parseLong(a.get(0)) * Long.parseLong(a.get(1)));
                } catch (RuntimeException ignored) {
                    // not the kernel's striped table line: no hint
                }
            }
        }
        for (DeviceRef ref : t.devices()) {
            if (ref.device() instanceof MappedDevice below) {
                opt = lcm(opt, ioOpt(below, depth + 1));
            }
        }
        return opt;
    }

    private static long lcm(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        long x = a;
        long y = b;
        while (y != 0) {
            long r = x % y;
            x = y;
            y = r;
        }
        return a / x * b;
    }
}
