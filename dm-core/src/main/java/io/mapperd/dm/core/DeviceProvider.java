package io.mapperd.dm.core;

import io.mapperd.dm.io.BlockDevice;

import java.io.IOException;

/**
 * Opens devices named by a URL scheme in a table (iscsi://, nvme+tcp://). Providers share
 * sessions among tables; {@link #release} is called when no table uses the device any more.
 */
public interface DeviceProvider {
    /** The URL scheme this provider opens, e.g. "iscsi". */
    String scheme();

    BlockDevice open(String url, boolean readOnly) throws IOException;

    void release(BlockDevice device);
}
