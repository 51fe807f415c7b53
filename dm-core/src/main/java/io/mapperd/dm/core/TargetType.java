package io.mapperd.dm.core;

import java.util.List;

/** A target's descriptor, as the kernel's struct target_type: name, version, constructor. */
public interface TargetType {
    String name();

    /** Major, minor, patch, as `dmsetup targets` prints them. */
    int[] version();

    /** The constructor: validates {@code args} and builds an instance, or throws with the kernel's words. */
    Target construct(TargetContext ctx, List<String> args) throws TargetException;
}
