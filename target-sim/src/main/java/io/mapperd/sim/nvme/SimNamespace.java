package io.mapperd.sim.nvme;

import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A file-backed namespace with 512-byte blocks, in one ANA group, with its identifiers (NGUID and
 * EUI-64 as hex, empty for none; UUID or null). Its commands go to the file as bios through a
 * {@link FileBlockDevice}, as the iSCSI simulator's LUNs do (one write lane per file, dm-core's I/O threads).
 */
public final class SimNamespace implements AutoCloseable {
    public static final int BLOCK_SHIFT = 9;

    private final int nsid;
    private final Path file;
    private final FileBlockDevice device;
    private final long blocks;
    private final int anaGroup;
    private final String nguid;
    private final String eui64;
    private final UUID uuid;

    public SimNamespace(int nsid, Path file, long sizeBytes, int anaGroup, String nguid, String eui64, UUID uuid) throws IOException {
        if (nsid <= 0 || nsid == 0xFFFFFFFF) {
            throw new IllegalArgumentException("namespace id " + nsid + " is not a valid NSID");
        }
        if (anaGroup <= 0 || anaGroup > 128) {
            throw new IllegalArgumentException("namespace " + nsid + ": ANA group " + anaGroup + " outside 1..128");
        }
        checkHex("nguid", nguid, 32);
        checkHex("eui64", eui64, 16);
        this.nsid = nsid;
        this.file = file;
        this.anaGroup = anaGroup;
        this.nguid = nguid;
        this.eui64 = eui64;
        this.uuid = uuid;
        boolean exists = Files.exists(file);
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            size = sizeBytes > 0 ? sizeBytes : channel.size();
            if (!exists || channel.size() < size) {
                channel.truncate(size);
                if (channel.size() < size) {
                    channel.write(java.nio.ByteBuffer.allocate(1), size - 1);
                }
            }
        }
        if (size < (1 << BLOCK_SHIFT)) {
            throw new IllegalArgumentException("namespace " + nsid + ": " + file + " has no size (give size:)");
        }
        this.blocks = size >>> BLOCK_SHIFT;
        // a file longer than the namespace is fine: bios never go past blocks
        this.device = FileBlockDevice.open(file, false, new DevT(DevT.LOOP_MAJOR, 5000 + nsid), 1 << BLOCK_SHIFT);
    }

    private static void checkHex(String what, String v, int len) {
        if (!v.isEmpty() && !v.matches("[0-9a-f]{" + len + "}")) {
            throw new IllegalArgumentException(what + " '" + v + "' is not " + len + " lowercase hex digits");
        }
    }

    public int nsid() {
        return nsid;
    }

    public Path file() {
        return file;
    }

    /** The namespace's blocks as a block device (sector = LBA: both are 512 bytes). */
    public FileBlockDevice device() {
        return device;
    }

    public long blocks() {
        return blocks;
    }

    public int anaGroup() {
        return anaGroup;
    }

    public String nguid() {
        return nguid;
    }

    public String eui64() {
        return eui64;
    }

    public UUID uuid() {
        return uuid;
    }

    @Override
    public void close() {
        device.close();
    }
}
