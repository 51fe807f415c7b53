package io.mapperd.dm.targets.multipath;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Hardware handlers by name, as the kernel's scsi_dh list (modules scsi_dh_alua, ...). dm-core
 * ships none; the hw-handlers module registers alua, emc, rdac and hp_sw. A table naming a
 * handler that is not registered is refused, as the kernel refuses it when the module is missing.
 */
public final class HwHandlerRegistry {
    private static final HwHandlerRegistry GLOBAL = withServices();

    private final Map<String, Supplier<HwHandler>> factories = new ConcurrentHashMap<>();

    public static HwHandlerRegistry global() {
        return GLOBAL;
    }

    /** An empty registry plus the handlers found as {@link HwHandlerProvider} services. */
    public static HwHandlerRegistry withServices() {
        HwHandlerRegistry r = new HwHandlerRegistry();
        for (HwHandlerProvider p : ServiceLoader.load(HwHandlerProvider.class)) {
            r.register(p.name(), p::create);
        }
        return r;
    }

    public void register(String name, Supplier<HwHandler> factory) {
        factories.put(name, factory);
    }

    public void unregister(String name) {
        factories.remove(name);
    }

    /** A new handler instance for one map, if one of that name is registered. */
    public Optional<HwHandler> create(String name) {
        Supplier<HwHandler> f = factories.get(name);
        return f == null ? Optional.empty() : Optional.of(f.get());
    }
}
