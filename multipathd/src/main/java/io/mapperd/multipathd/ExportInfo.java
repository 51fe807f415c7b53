package io.mapperd.multipathd;

import java.util.OptionalInt;

/**
 * What the daemon's exports (NBD) say about a mapped device, for `dmsetup info`. The NBD server
 * plugs in here; without one, no device is exported and info prints no client line.
 */
public interface ExportInfo {
    /** Clients connected to the export of {@code deviceName}; empty when the device is not exported. */
    OptionalInt clientCount(String deviceName);

    ExportInfo NONE = name -> OptionalInt.empty();
}
