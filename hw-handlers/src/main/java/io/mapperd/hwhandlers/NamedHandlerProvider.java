package io.mapperd.hwhandlers;

import io.mapperd.dm.targets.multipath.HwHandler;
import io.mapperd.dm.targets.multipath.HwHandlerProvider;

import java.util.function.Supplier;

/** A handler's entry for the multipath target's handler registry: its name and a fresh handler per map. */
abstract class NamedHandlerProvider implements HwHandlerProvider {
    private final String name;
    private final Supplier<HwHandler> factory;

    NamedHandlerProvider(String name, Supplier<HwHandler> factory) {
        this.name = name;
        this.factory = factory;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final HwHandler create() {
        return factory.get();
    }
}
