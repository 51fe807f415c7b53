package io.mapperd.bench;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A path with a fault switch, for the failover benchmark: {@code switch://NAME/FILE} opens FILE;
 * while the switch is on, every new bio fails at once with a transport error (a reset path).
 */
final class SwitchablePath implements BlockDevice {
    /** The provider that opens switchable paths and finds them again by name. */
    static final class Provider implements DeviceProvider {
        private final Map<String, SwitchablePath> paths = new ConcurrentHashMap<>();
        private final AtomicInteger minors = new AtomicInteger();

        @Override
        public String scheme() {
            return "switch";
        }

        @Override
        public BlockDevice open(String url, boolean readOnly) throws IOException {
            String rest = url.substring("switch://".length());
            int slash = rest.indexOf('/');
            int minor = minors.getAndIncrement();
            FileBlockDevice f = FileBlockDevice.open(Path.of(rest.substring(slash)), readOnly, new DevT(241, minor), 512);
            SwitchablePath p = new SwitchablePath(rest.substring(0, slash), new DevT(240, minor), f);
            paths.put(p.name, p);
            return p;
        }

        @Override
        public void release(BlockDevice device) {
            SwitchablePath p = (SwitchablePath) device;
            paths.remove(p.name);
            p.under.close();
        }

        SwitchablePath get(String name) {
            return paths.get(name);
        }
    }

    private final String name;
    private final DevT devT;
    private final FileBlockDevice under;
    private volatile boolean failing;

    private SwitchablePath(String name, DevT devT, FileBlockDevice under) {
        this.name = name;
        this.devT = devT;
        this.under = under;
    }

    void fail(boolean on) {
        failing = on;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DevT devT() {
        return devT;
    }

    @Override
    public long sizeSectors() {
        return under.sizeSectors();
    }

    @Override
    public CompletableFuture<Void> submit(Bio bio) {
        if (failing) {
            return CompletableFuture.failedFuture(new BioException(BlkStatus.TRANSPORT, name + ": connection reset"));
        }
        return under.submit(bio);
    }
}
