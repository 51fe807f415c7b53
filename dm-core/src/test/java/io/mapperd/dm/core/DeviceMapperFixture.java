package io.mapperd.dm.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A fresh {@link DeviceMapper} for each test, closed after it, and a temporary directory for backing files. */
public abstract class DeviceMapperFixture {
    @TempDir
    protected Path dir;
    protected DeviceMapper dm;

    /** The device mapper a test runs against; a test that needs its own targets overrides this. */
    protected DeviceMapper newDeviceMapper() {
        return new DeviceMapper();
    }

    @BeforeEach
    final void openDeviceMapper() {
        dm = newDeviceMapper();
    }

    @AfterEach
    final void closeDeviceMapper() {
        dm.close();
    }
}
