package io.mapperd.dm.targets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A fresh {@link TargetBench} over a temporary directory for each test, closed after it. */
abstract class TargetBenchFixture {
    @TempDir
    Path dir;
    TargetBench bench;

    @BeforeEach
    final void openBench() {
        bench = new TargetBench(dir);
    }

    @AfterEach
    final void closeBench() {
        bench.close();
    }
}
