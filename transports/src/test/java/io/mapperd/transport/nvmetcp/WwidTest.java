package io.mapperd.transport.nvmetcp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The WWID rules of the kernel's wwid_show: uuid, then NGUID, then EUI-64, then vendor-serial-model-nsid. */
class WwidTest {
    static IdentifyController ctrl(String serial, String model) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x1b36);
        b.put(4, pad(serial, 20));
        b.put(24, pad(model, 40));
        return IdentifyController.parse(b);
    }

    static byte[] pad(String s, int n) {
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, (byte) ' ');
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, a, 0, v.length);
        return a;
    }

    static IdentifyNamespace ns(byte[] nguid, byte[] eui) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 2048);
        b.put(104, nguid);
        b.put(120, eui);
        b.put(128 + 2, (byte) 9);
        return IdentifyNamespace.parse(b);
    }

    @Test
    void uuidWinsOverEverything() {
        ByteBuffer d = ByteBuffer.allocate(4096);
        d.put(0, (byte) NamespaceIds.NIDT_UUID).put(1, (byte) 16);
        UUID u = UUID.fromString("1e4472ac-21e3-414e-8c3d-677b0604b61c");
        d.putLong(4, u.getMostSignificantBits()).putLong(12, u.getLeastSignificantBits());
        NamespaceIds ids = NamespaceIds.of(ns(new byte[16], new byte[8]), d);
        assertEquals("uuid.1e4472ac-21e3-414e-8c3d-677b0604b61c", Wwid.of(ctrl("s", "m"), 1, ids));
    }

    @Test
    void nguidThenEui64() {
        byte[] nguid = new byte[16];
        nguid[15] = 0x2a;
        byte[] eui = {0, 0x25, 0x38, 1, 2, 3, 4, 5};
        assertEquals("eui.0000000000000000000000000000002a", Wwid.of(ctrl("s", "m"), 1, NamespaceIds.of(ns(nguid, eui), null)));
        assertEquals("eui.0025380102030405", Wwid.of(ctrl("s", "m"), 1, NamespaceIds.of(ns(new byte[16], eui), null)));
    }

    @Test
    void descriptorsReplaceIdentifyNamespaceFields() {
        ByteBuffer d = ByteBuffer.allocate(4096);
        d.put(0, (byte) NamespaceIds.NIDT_EUI64).put(1, (byte) 8).put(4, new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        NamespaceIds ids = NamespaceIds.of(ns(new byte[16], new byte[]{9, 9, 9, 9, 9, 9, 9, 9}), d);
        assertEquals("0102030405060708", ids.eui64());
    }

    @Test
    void fallbackIsVendorSerialModelNsidWithPaddingDropped() {
        assertEquals("nvme.1b36-53494d30303031-6d6170706572642d73696d-00000003",
                Wwid.of(ctrl("SIM0001", "mapperd-sim"), 3, NamespaceIds.of(ns(new byte[16], new byte[8]), null)));
    }
}
