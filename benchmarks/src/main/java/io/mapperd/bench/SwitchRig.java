package io.mapperd.bench;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;

import java.nio.file.Files;
import java.nio.file.Path;

/** Two {@code switch://} paths over one file: a kill makes every new bio fail at once (a reset path); no hang. */
final class SwitchRig implements PathRig {
    private final Path dir;
    private final Path file;
    private final long bytes;
    private final SwitchablePath.Provider provider = new SwitchablePath.Provider();

    SwitchRig(Path dir, long bytes) throws Exception {
        this.dir = dir;
        this.bytes = bytes;
        this.file = BenchFiles.randomFile(dir.resolve("lun.img"), bytes);
    }

    @Override
    public DeviceProvider provider() {
        return provider;
    }

    @Override
    public String url(int i) {
        return "switch://p" + i + file;
    }

    @Override
    public long sectors() {
        return bytes >> 9;
    }

    @Override
    public boolean canHang() {
        return false;
    }

    @Override
    public void kill(int i, Kill kind, BlockDevice device) {
        provider.get("p" + i).fail(true);
    }

    @Override
    public void heal(int i) {
        provider.get("p" + i).fail(false);
    }

    @Override
    public boolean ready(BlockDevice device) {
        return true;
    }

    @Override
    public long timeoutMillis() {
        return 0;
    }

    @Override
    public String describe() {
        return "switch:// file paths over one " + (bytes >> 20) + " MiB file in " + dir
                + " (a kill fails new bios with a transport error)";
    }

    @Override
    public void close() throws Exception {
        Files.deleteIfExists(file);
    }
}
