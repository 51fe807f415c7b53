package io.mapperd.hwhandlers.multipath;

import io.mapperd.sim.nvme.NvmeSimConfig;
import io.mapperd.sim.nvme.NvmeTarget;
import io.mapperd.transport.nvmetcp.AnaState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * target-sim's NVMe/TCP target on two ephemeral loopback ports: one subsystem, one 64 MiB
 * namespace in ANA group 1, optimized through port 1 and non-optimized through port 2.
 */
final class NvmeSan implements AutoCloseable {
    static final String NQN = "nqn.2026-11.io.mapperd:multipath-test";
    static final int ANA_GROUP = 1;

    final NvmeTarget target;

    NvmeSan(Path dir) throws IOException {
        target = NvmeTarget.start(new NvmeSimConfig(
                List.of(new NvmeSimConfig.Portal(1, "127.0.0.1", 0), new NvmeSimConfig.Portal(2, "127.0.0.1", 0)),
                List.of(new NvmeSimConfig.Subsystem(NQN, "MPT0001", "mapperd-sim", List.of(1, 2), List.of(
                        new NvmeSimConfig.Namespace(1, dir.resolve("ns1.img"), 64L << 20, ANA_GROUP, "", "", null)))),
                List.of(new NvmeSimConfig.AnaSetting(2, ANA_GROUP, AnaState.NON_OPTIMIZED)),
                NvmeSimConfig.DEFAULT_MAX_H2C_DATA, NvmeSimConfig.DEFAULT_IN_CAPSULE));
    }

    /** The namespace through port {@code portal} (1 or 2), as a table names it. */
    String url(int portal) {
        return "nvme+tcp://127.0.0.1:" + target.portal(portal).port() + "/" + NQN + "/1";
    }

    @Override
    public void close() {
        target.close();
    }
}
