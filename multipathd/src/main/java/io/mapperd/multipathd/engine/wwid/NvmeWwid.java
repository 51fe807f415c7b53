package io.mapperd.multipathd.engine.wwid;

import java.util.HexFormat;
import java.util.UUID;

/**
 * An NVMe namespace's WWID as the kernel's {@code wwid} attribute gives it (and multipath-tools
 * takes it): the namespace UUID ("uuid.…") when set, else the NGUID ("eui." + 32 hex digits), else
 * the EUI-64 ("eui." + 16 hex digits), else "nvme." built from the PCI vendor id, serial, model and
 * namespace id.
 */
public final class NvmeWwid {
    private NvmeWwid() {
    }

    /**
     * @param uuid   16 bytes or null
     * @param nguid  16 bytes or null
     * @param eui64  8 bytes or null
     */
    public static String derive(byte[] uuid, byte[] nguid, byte[] eui64, int vendorId, String serial, String model,
                                int nsid) {
        if (nonZero(uuid)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(uuid);
            return "uuid." + new UUID(b.getLong(), b.getLong());
        }
        if (nonZero(nguid)) {
            return "eui." + HexFormat.of().formatHex(nguid);
        }
        if (nonZero(eui64)) {
            return "eui." + HexFormat.of().formatHex(eui64);
        }
        return String.format("nvme.%04x-%s-%s-%08x", vendorId, hex(serial), hex(model), nsid);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static boolean nonZero(byte[] b) {
        if (b == null) {
            return false;
        }
        for (byte x : b) {
            if (x != 0) {
                return true;
            }
        }
        return false;
    }
}
