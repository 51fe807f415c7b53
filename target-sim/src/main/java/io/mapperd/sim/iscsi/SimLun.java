package io.mapperd.sim.iscsi;

import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** A file-backed logical unit: its backing device, identity, and persistent reservation state. */
public final class SimLun implements AutoCloseable {
    private final int id;
    private final FileBlockDevice device;
    private final int blockSize;
    private final String serial;
    private final byte[] naa;

    // Persistent reservations: registered keys by I_T nexus (initiator name + ISID), the holder and type.
    final Map<String, Long> registrations = new LinkedHashMap<>();
    String holder;
    /** RESERVE(6) holder, or null. */
    String reserve6;
    int reservationType;
    int generation;

    /** Pending UNIT ATTENTION conditions per I_T nexus, reported one per command (SAM-5 5.14). */
    private final Map<String, java.util.ArrayDeque<io.mapperd.transport.iscsi.scsi.Sense>> unitAttentions = new java.util.HashMap<>();

    synchronized void unitAttention(String nexus, io.mapperd.transport.iscsi.scsi.Sense s) {
        unitAttentions.computeIfAbsent(nexus, k -> new java.util.ArrayDeque<>()).add(s);
    }

    synchronized io.mapperd.transport.iscsi.scsi.Sense takeUnitAttention(String nexus) {
        java.util.ArrayDeque<io.mapperd.transport.iscsi.scsi.Sense> q = unitAttentions.get(nexus);
        return q == null ? null : q.poll();
    }

    synchronized void forgetNexus(String nexus) {
        unitAttentions.remove(nexus);
    }

    private SimLun(int id, FileBlockDevice device, int blockSize, String serial, byte[] naa) {
        this.id = id;
        this.device = device;
        this.blockSize = blockSize;
        this.serial = serial;
        this.naa = naa;
    }

    static SimLun open(String targetIqn, SimConfig.LunSpec spec) throws IOException {
        Path file = Path.of(spec.file());
        if (!Files.exists(file)) {
            if (spec.sizeBytes() <= 0) {
                throw new IOException("LUN " + spec.id() + ": backing file " + file + " does not exist and no size is given");
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(spec.sizeBytes());
            }
        } else if (spec.sizeBytes() > 0 && Files.size(file) < spec.sizeBytes()) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(spec.sizeBytes());
            }
        }
        int bs = spec.blockSize() > 0 ? spec.blockSize() : 512;
        if (bs < 512 || Integer.bitCount(bs) != 1) {
            throw new IOException("LUN " + spec.id() + ": block size " + bs + " is not a power of two of at least 512");
        }
        FileBlockDevice dev = FileBlockDevice.open(file, false, new DevT(DevT.LOOP_MAJOR, 4000 + spec.id()), bs);
        byte[] digest = md5(targetIqn + "/" + spec.id());
        String serial = spec.serial() != null ? spec.serial() : HexFormat.of().formatHex(digest, 0, 8);
        byte[] naa;
        if (spec.naa() != null) {
            String h = spec.naa().startsWith("0x") ? spec.naa().substring(2) : spec.naa();
            naa = HexFormat.of().parseHex(h);
            if ((naa.length != 8 && naa.length != 16) || (naa[0] & 0xf0) >>> 4 != (naa.length == 16 ? 6 : (naa[0] & 0xf0) >>> 4)) {
                throw new IOException("LUN " + spec.id() + ": naa " + spec.naa() + " is not an 8- or 16-byte NAA identifier");
            }
        } else {
            // NAA 6 (IEEE registered extended) under a zero company id; the rest derived from the name.
            naa = new byte[16];
            naa[0] = 0x60;
            naa[3] = (byte) (digest[0] & 0x0f);
            System.arraycopy(digest, 1, naa, 4, 12);
        }
        return new SimLun(spec.id(), dev, bs, serial, naa);
    }

    private static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int id() {
        return id;
    }

    public FileBlockDevice device() {
        return device;
    }

    public int blockSize() {
        return blockSize;
    }

    public long blocks() {
        return (device.sizeSectors() << 9) / blockSize;
    }

    public String serial() {
        return serial;
    }

    public byte[] naa() {
        return naa.clone();
    }

    @Override
    public void close() {
        device.close();
    }
}
