package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TargetException;

import java.util.List;

/** A registered path selector, as the kernel's path_selector_type: a name and a constructor. */
public interface PathSelectorType {
    String name();

    /** Version as the kernel module logs it when loaded. */
    String version();

    /** Builds a selector for one group from the group's selector arguments. */
    PathSelector create(List<String> args) throws TargetException;
}
