package io.mapperd.transport.nvmetcp;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The WWID of a namespace, formed as Linux forms /sys/block/nvmeXnY/wwid: the UUID if any
 * ("uuid."), else the NGUID, else the EUI-64 ("eui." and lowercase hex), else
 * "nvme.VVVV-SERIAL-MODEL-NSID" with serial and model in hex, trailing spaces and NULs dropped.
 */
public final class Wwid {
    private Wwid() {
    }

    public static String of(IdentifyController ctrl, int nsid, NamespaceIds ids) {
        if (ids.uuid() != null) {
            return "uuid." + ids.uuid();
        }
        if (!ids.nguid().isEmpty()) {
            return "eui." + ids.nguid();
        }
        if (!ids.eui64().isEmpty()) {
            return "eui." + ids.eui64();
        }
        return String.format("nvme.%04x-%s-%s-%08x", ctrl.vid(), hexTrimmed(ctrl.serial()), hexTrimmed(ctrl.model()), nsid);
    }

    private static String hexTrimmed(String field) {
        int end = field.length();
        while (end > 0 && (field.charAt(end - 1) == ' ' || field.charAt(end - 1) == '\0')) {
            end--;
        }
        return HexFormat.of().formatHex(field.substring(0, end).getBytes(StandardCharsets.ISO_8859_1));
    }
}
