package io.mapperd.dm.core.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A row of counters kept per thread and summed when read, as the kernel keeps disk statistics per
 * CPU: a thread adds to its own cell with plain stores (no atomic instruction, no cache line shared
 * with another writer), and a reader sums the cells. Virtual threads, which come and go by the
 * thousand, share one cell updated atomically. The cells of threads that have ended are folded into
 * one when a new cell is made, so threads that come and go do not grow the list.
 */
final class PerThreadCounters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs before and after a cell's counters: two threads' cells never share a cache line. */
    private static final int PAD = 8;

    private final int width;
    private final ThreadLocal<long[]> mine = ThreadLocal.withInitial(this::newCell);
    private final long[] shared;
    /** Guarded by this: the live threads' cells, and what ended threads had counted. */
    private final List<Cell> cells = new ArrayList<>();
    private final long[] retired;

    private record Cell(Thread owner, long[] counts) {
    }

    PerThreadCounters(int width) {
        this.width = width;
        this.shared = new long[width + 2 * PAD];
        this.retired = new long[width];
    }

    /** The calling thread's cell, for {@link #add}. */
    long[] cell() {
        return Thread.currentThread().isVirtual() ? shared : mine.get();
    }

    /** Adds {@code delta} to counter {@code i} of {@code cell}, which the calling thread got from {@link #cell}. */
    void add(long[] cell, int i, long delta) {
        int at = PAD + i;
        if (cell == shared) {
            LONGS.getAndAdd(cell, at, delta);
        } else {
            // only this thread writes this cell; opaque keeps the store from being held back or torn
            LONGS.setOpaque(cell, at, (long) LONGS.getOpaque(cell, at) + delta);
        }
    }

    /** Counters {@code from} to {@code from + n - 1}, each summed over every cell, read in one pass. */
    synchronized long[] sums(int from, int n) {
        long[] s = new long[n];
        for (int k = 0; k < n; k++) {
            s[k] = retired[from + k] + (long) LONGS.getOpaque(shared, PAD + from + k);
        }
        for (Cell c : cells) {
            for (int k = 0; k < n; k++) {
                s[k] += (long) LONGS.getOpaque(c.counts, PAD + from + k);
            }
        }
        return s;
    }

    /** Cells of live threads (for tests). */
    synchronized int cells() {
        return cells.size();
    }

    private synchronized long[] newCell() {
        for (Iterator<Cell> it = cells.iterator(); it.hasNext(); ) {
            Cell c = it.next();
            // a thread's last stores happen-before isAlive() returning false
            if (!c.owner.isAlive()) {
                for (int k = 0; k < width; k++) {
                    retired[k] += c.counts[PAD + k];
                }
                it.remove();
            }
        }
        long[] counts = new long[width + 2 * PAD];
        cells.add(new Cell(Thread.currentThread(), counts));
        return counts;
    }
}
