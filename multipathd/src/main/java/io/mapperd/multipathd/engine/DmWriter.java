package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.targets.multipath.MultipathTarget;
import io.mapperd.dm.core.StatusType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Every change the engine makes to the device-mapper, in order, on one thread of its own: a reload
 * waits for in-flight I/O (suspend --noflush hands queued I/O back, nothing fails) and must not hold
 * up the engine, and messages must follow the table they are meant for.
 */
final class DmWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DmWriter.class);
    private final DeviceMapper dm;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
            .name("mpath-dm").factory());

    DmWriter(DeviceMapper dm) {
        this.dm = dm;
    }

    /** Creates the map, or loads the table into it and swaps it in live; then fails {@code failed} paths. */
    CompletableFuture<Void> apply(String name, String uuid, String line, boolean create, List<String> failed) {
        return run(() -> {
            if (create) {
                dm.create(name, uuid, line, false);
            } else {
                dm.load(name, line, false);
                dm.suspend(name, true);
                dm.resume(name);
            }
            for (String dev : failed) {
                dm.message(name, 0, List.of("fail_path", dev));
            }
        });
    }

    /** Completes once everything submitted before it has run. */
    CompletableFuture<Void> barrier() {
        return CompletableFuture.runAsync(() -> { }, thread);
    }

    CompletableFuture<Void> message(String name, String... argv) {
        return run(() -> dm.message(name, 0, List.of(argv)));
    }

    CompletableFuture<Void> suspend(String name) {
        return run(() -> dm.suspend(name, true));
    }

    CompletableFuture<Void> resume(String name) {
        return run(() -> dm.resume(name));
    }

    CompletableFuture<Void> rename(String from, String to) {
        return run(() -> dm.rename(from, to));
    }

    CompletableFuture<Void> remove(String name) {
        return run(() -> dm.remove(name, false, false));
    }

    private interface DmOp {
        void run() throws DmException;
    }

    private CompletableFuture<Void> run(DmOp op) {
        return CompletableFuture.runAsync(() -> {
            try {
                op.run();
            } catch (DmException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, thread);
    }

    /** The live multipath target of {@code name}'s table, if it has one. */
    Optional<MultipathTarget> target(String name) {
        Optional<MappedDevice> md = dm.find(name);
        if (md.isEmpty() || md.get().activeTable() == null || md.get().activeTable().entries().isEmpty()) {
            return Optional.empty();
        }
        return md.get().activeTable().entries().getFirst().target() instanceof MultipathTarget t
                ? Optional.of(t) : Optional.empty();
    }

    /** The INFO status of the live multipath target, or null. */
    String status(String name) {
        return target(name).map(t -> t.status(StatusType.INFO)).orElse(null);
    }

    Optional<MappedDevice> device(String name) {
        return dm.find(name);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("device-mapper writer still busy at shutdown");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
