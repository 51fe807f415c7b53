package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** A device mapper with an NBD server on an ephemeral loopback port, and sparse backing files in a temp dir. */
final class NbdFixture implements AutoCloseable {
    final Path dir;
    final DeviceMapper dm = new DeviceMapper();
    final NbdServer server;

    NbdFixture(Path dir) throws IOException {
        this.dir = dir;
        this.server = NbdServer.start(dm, NbdServerConfig.defaults().withPort(0));
    }

    Path file(String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    /** A linear device named {@code name} over the whole of a new sparse file of {@code bytes}. */
    MappedDevice linear(String name, long bytes, boolean readOnly) throws IOException, DmException {
        Path f = file(name + ".img", bytes);
        return dm.create(name, null, "0 " + (bytes >>> 9) + " linear " + f + " 0", readOnly);
    }

    Path backing(String name) {
        return dir.resolve(name + ".img");
    }

    String uri(String export) {
        return "nbd://127.0.0.1:" + server.boundPort() + "/" + export;
    }

    int port() {
        return server.boundPort();
    }

    @Override
    public void close() {
        server.stop();
        dm.close();
    }
}
