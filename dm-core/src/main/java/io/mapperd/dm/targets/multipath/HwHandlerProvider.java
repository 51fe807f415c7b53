package io.mapperd.dm.targets.multipath;

/** A hardware handler as a service (java.util.ServiceLoader): the hw-handlers module lists its own. */
public interface HwHandlerProvider {
    String name();

    /** A fresh handler for one map. */
    HwHandler create();
}
