package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DeviceMapperFixture;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.TestFiles;
import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Multipath maps over one backing file, {@code lun.img}: its paths are mapped devices over the
 * file (killed by loading the error target into them, as an operator would) or test-only
 * {@link FaultyProvider} paths.
 */
abstract class PathsOverOneFile extends DeviceMapperFixture {
    final long sectors;
    FaultyProvider faulty;
    Path file;

    PathsOverOneFile(long sectors) {
        this.sectors = sectors;
    }

    @BeforeEach
    final void createLun() throws Exception {
        faulty = new FaultyProvider();
        dm.addProvider(faulty);
        file = TestFiles.sized(dir, "lun.img", sectors << 9);
    }

    static MultipathTarget target(MappedDevice md) {
        return (MultipathTarget) md.activeTable().entries().getFirst().target();
    }

    /** A path named {@code name}: a linear map over the whole file. */
    void path(String name) throws DmException {
        dm.create(name, null, "0 " + sectors + " linear " + file + " 0", false);
    }

    void kill(String name) throws DmException {
        dm.load(name, "0 " + sectors + " error", false);
        dm.resume(name);
    }

    void restore(String name) throws DmException {
        dm.load(name, "0 " + sectors + " linear " + file + " 0", false);
        dm.resume(name);
    }

    /** {@code n} 4 KiB writes at blocks 0..n-1 of patterns seeded {@code seed + i}, in flight together. */
    static List<CompletableFuture<Void>> writes(MappedDevice md, int n, int seed) {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(md.submit(Bio.write(i * 8L, TestFiles.pattern(4096, seed + i), 0)));
        }
        return fs;
    }

    /** The file holds what {@link #writes} wrote. */
    void assertWritten(int n, int seed) throws Exception {
        for (int i = 0; i < n; i++) {
            assertEquals(TestFiles.pattern(4096, seed + i), TestFiles.readFile(file, i * 4096L, 4096), "block " + i);
        }
    }
}
