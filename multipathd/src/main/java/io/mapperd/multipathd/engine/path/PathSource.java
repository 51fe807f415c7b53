package io.mapperd.multipathd.engine.path;

import io.mapperd.conf.MultipathConfig;

import java.util.List;

/**
 * Where paths come from: sysfs, iSCSI portals from the configuration, NVMe discovery controllers.
 * A scan returns every path the source sees now; a path found again keeps the same {@link PathIo}
 * (same key). Paths no longer returned are gone; the engine closes their {@link PathIo} after it has
 * taken them out of its maps. Scans may block (logins, probes) and never run on the engine's thread.
 */
public interface PathSource extends AutoCloseable {
    String name();

    List<DiscoveredPath> scan(MultipathConfig config);

    @Override
    void close();
}
