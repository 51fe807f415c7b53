package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.AnaState;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** A target on two ephemeral loopback portals: one subsystem, one 64 MiB namespace, portal 2 non-optimized. */
final class SimFixture implements AutoCloseable {
    static final String NQN = "nqn.2024-01.io.mapperd:sim1";
    static final UUID NS_UUID = UUID.fromString("5d0b6a7e-8f3c-4c1a-9e55-2b0c1d2e3f40");

    final Path dir;
    final NvmeTarget target;

    SimFixture(int maxH2cData, int inCapsule) throws IOException {
        dir = Files.createTempDirectory("nvme-sim");
        NvmeSimConfig cfg = new NvmeSimConfig(
                List.of(new NvmeSimConfig.Portal(1, "127.0.0.1", 0), new NvmeSimConfig.Portal(2, "127.0.0.1", 0)),
                List.of(new NvmeSimConfig.Subsystem(NQN, "SIM0001", "mapperd-sim", List.of(1, 2), List.of(
                        new NvmeSimConfig.Namespace(1, dir.resolve("ns1.img"), 64 << 20, 1, "", "", NS_UUID),
                        new NvmeSimConfig.Namespace(2, dir.resolve("ns2.img"), 8 << 20, 2, "", "", null)))),
                List.of(new NvmeSimConfig.AnaSetting(2, 1, AnaState.NON_OPTIMIZED)), maxH2cData, inCapsule);
        target = NvmeTarget.start(cfg);
    }

    SimFixture() throws IOException {
        this(NvmeSimConfig.DEFAULT_MAX_H2C_DATA, NvmeSimConfig.DEFAULT_IN_CAPSULE);
    }

    InetSocketAddress portal(int id) {
        return target.portal(id).address();
    }

    @Override
    public void close() throws IOException {
        target.close();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
