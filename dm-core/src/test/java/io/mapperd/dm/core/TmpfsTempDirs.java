package io.mapperd.dm.core;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code @TempDir(factory = TmpfsTempDirs.class)}: a temp dir on tmpfs (/dev/shm), removed by JUnit after the test. */
public final class TmpfsTempDirs implements TempDirFactory {
    public static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        if (!Files.isDirectory(SHM)) {
            throw new IOException("this test needs tmpfs at " + SHM);
        }
        return Files.createTempDirectory(SHM, "mapperd-test-");
    }
}
