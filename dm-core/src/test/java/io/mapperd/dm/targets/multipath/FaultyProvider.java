package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only provider of {@link FaultyDevice} paths: {@code faulty://NAME/FILE} opens FILE under a
 * fault switch named NAME (dev_t 240:N in first-use order). Several names over one file are
 * several paths to the same storage.
 */
final class FaultyProvider implements DeviceProvider {
    private final Map<String, FaultyDevice> devices = new ConcurrentHashMap<>();
    private final AtomicInteger nextMinor = new AtomicInteger();

    @Override
    public String scheme() {
        return "faulty";
    }

    static String url(String name, Path file) {
        return "faulty://" + name + file.toAbsolutePath();
    }

    @Override
    public BlockDevice open(String url, boolean readOnly) throws IOException {
        String rest = url.substring("faulty://".length());
        int slash = rest.indexOf('/');
        String name = rest.substring(0, slash);
        Path file = Path.of(rest.substring(slash));
        int minor = nextMinor.getAndIncrement();
        FileBlockDevice f = FileBlockDevice.open(file, readOnly, new DevT(241, minor), 512);
        FaultyDevice d = new FaultyDevice(name, new DevT(240, minor), f);
        devices.put(name, d);
        return d;
    }

    @Override
    public void release(BlockDevice device) {
        devices.values().remove(device);
        ((FaultyDevice) device).close();
    }

    FaultyDevice get(String name) {
        FaultyDevice d = devices.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no faulty device " + name);
        }
        return d;
    }
}
