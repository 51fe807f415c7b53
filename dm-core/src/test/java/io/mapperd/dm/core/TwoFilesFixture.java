package io.mapperd.dm.core;

import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;

/** A {@link DeviceMapperFixture} with two 8 MiB backing files, {@code a.img} and {@code b.img}. */
public abstract class TwoFilesFixture extends DeviceMapperFixture {
    protected Path a;
    protected Path b;

    @BeforeEach
    final void createFiles() throws Exception {
        a = TestFiles.sized(dir, "a.img", 8 << 20);
        b = TestFiles.sized(dir, "b.img", 8 << 20);
    }
}
