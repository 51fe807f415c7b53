package io.mapperd.dm.targets.multipath;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A priority group, as the kernel's struct priority_group: numbered from 1 in table order, with
 * its selector and paths, and the bypassed (disabled) mark.
 */
public final class PriorityGroup {
    private final int number;
    private final PathSelectorType selectorType;
    private final PathSelector selector;
    private final List<PgPath> paths = new ArrayList<>();
    private volatile boolean bypassed;

    PriorityGroup(int number, PathSelectorType selectorType, PathSelector selector) {
        this.number = number;
        this.selectorType = selectorType;
        this.selector = selector;
    }

    public int number() {
        return number;
    }

    public PathSelectorType selectorType() {
        return selectorType;
    }

    public PathSelector selector() {
        return selector;
    }

    public List<PgPath> paths() {
        return Collections.unmodifiableList(paths);
    }

    void add(PgPath p) {
        paths.add(p);
    }

    public boolean bypassed() {
        return bypassed;
    }

    void setBypassed(boolean b) {
        bypassed = b;
    }

    @Override
    public String toString() {
        return "group " + number;
    }
}
