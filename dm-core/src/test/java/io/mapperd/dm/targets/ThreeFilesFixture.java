package io.mapperd.dm.targets;

import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;

/** A {@link TargetBenchFixture} with three 1 MiB backing files, {@code a.img}, {@code b.img} and {@code c.img}. */
abstract class ThreeFilesFixture extends TargetBenchFixture {
    Path a;
    Path b;
    Path c;

    @BeforeEach
    final void createFiles() throws Exception {
        a = bench.file("a.img", 1 << 20);
        b = bench.file("b.img", 1 << 20);
        c = bench.file("c.img", 1 << 20);
    }
}
