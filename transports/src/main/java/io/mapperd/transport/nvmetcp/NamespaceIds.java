package io.mapperd.transport.nvmetcp;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A namespace's identifiers as the kernel keeps them (struct nvme_ns_ids): EUI-64 and NGUID from
 * Identify Namespace, replaced by the Namespace Identification Descriptors when those carry them,
 * and the UUID, which only descriptors carry. Hex strings are lowercase, empty when absent.
 */
public record NamespaceIds(String eui64, String nguid, UUID uuid, int csi) {
    public static final int NIDT_EUI64 = 1;
    public static final int NIDT_NGUID = 2;
    public static final int NIDT_UUID = 3;
    public static final int NIDT_CSI = 4;

    /** Merges Identify Namespace's fields with a descriptor list (CNS 03h, 4096 bytes), or null for none. */
    public static NamespaceIds of(IdentifyNamespace ns, ByteBuffer descriptors) {
        String eui = ns.eui64();
        String nguid = ns.nguid();
        UUID uuid = null;
        int csi = 0;
        if (descriptors != null) {
            ByteBuffer b = descriptors.slice();
            int at = 0;
            while (at + 4 <= b.limit()) {
                int type = b.get(at) & 0xFF;
                int len = b.get(at + 1) & 0xFF;
                if (type == 0 || len == 0) {
                    break;
                }
                if (at + 4 + len > b.limit()) {
                    throw new IllegalArgumentException("namespace identification descriptor of type " + type + " runs past the list (" + len + " bytes at offset " + at + ")");
                }
                byte[] v = new byte[len];
                b.get(at + 4, v);
                switch (type) {
                    case NIDT_EUI64 -> eui = expect(type, v, 8);
                    case NIDT_NGUID -> nguid = expect(type, v, 16);
                    case NIDT_UUID -> {
                        expect(type, v, 16);
                        ByteBuffer u = ByteBuffer.wrap(v);
                        uuid = new UUID(u.getLong(), u.getLong());
                    }
                    case NIDT_CSI -> csi = v[0] & 0xFF;
                    default -> { }
                }
                at += 4 + len;
            }
        }
        if (uuid != null && uuid.getMostSignificantBits() == 0 && uuid.getLeastSignificantBits() == 0) {
            uuid = null;
        }
        return new NamespaceIds(zeroToEmpty(eui), zeroToEmpty(nguid), uuid, csi);
    }

    private static String expect(int type, byte[] v, int len) {
        if (v.length != len) {
            throw new IllegalArgumentException("namespace identification descriptor of type " + type + " with length " + v.length + ", expected " + len);
        }
        return HexFormat.of().formatHex(v);
    }

    private static String zeroToEmpty(String hex) {
        return hex.chars().allMatch(c -> c == '0') ? "" : hex;
    }
}
