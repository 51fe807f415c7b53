package io.mapperd.hwhandlers.multipath;

import java.nio.file.Path;

/**
 * The multipath scenarios over two real NVMe/TCP paths ({@link NvmePathRig}: faults are
 * connections reset, a silent hang found by the host's keep-alive, refused connections, ANA state
 * changes).
 */
class MultipathOverNvmeTcpTest extends MultipathScenarios {
    @Override
    NvmePathRig startRig(Path dir) throws Exception {
        return new NvmePathRig(dir);
    }
}
