package io.mapperd.transport.iscsi.scsi;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** One designation descriptor of VPD page 0x83 (SPC-4 7.8.6). */
public record Designator(int protocolId, int codeSet, boolean piv, int association, int type, byte[] value) {
    public static final int TYPE_VENDOR_SPECIFIC = 0;
    public static final int TYPE_T10 = 1;
    public static final int TYPE_EUI64 = 2;
    public static final int TYPE_NAA = 3;
    public static final int TYPE_RELATIVE_PORT = 4;
    public static final int TYPE_TARGET_PORT_GROUP = 5;
    public static final int TYPE_LOGICAL_UNIT_GROUP = 6;
    public static final int TYPE_MD5 = 7;
    public static final int TYPE_SCSI_NAME = 8;

    public static final int ASSOC_LOGICAL_UNIT = 0;
    public static final int ASSOC_TARGET_PORT = 1;
    public static final int ASSOC_TARGET_DEVICE = 2;

    public String typeName() {
        return switch (type) {
            case TYPE_VENDOR_SPECIFIC -> "vendor specific";
            case TYPE_T10 -> "T10 vendor id";
            case TYPE_EUI64 -> "EUI-64";
            case TYPE_NAA -> "NAA";
            case TYPE_RELATIVE_PORT -> "relative target port";
            case TYPE_TARGET_PORT_GROUP -> "target port group";
            case TYPE_LOGICAL_UNIT_GROUP -> "logical unit group";
            case TYPE_MD5 -> "MD5 logical unit identifier";
            case TYPE_SCSI_NAME -> "SCSI name string";
            default -> "reserved " + type;
        };
    }

    public String associationName() {
        return switch (association) {
            case ASSOC_LOGICAL_UNIT -> "logical unit";
            case ASSOC_TARGET_PORT -> "target port";
            case ASSOC_TARGET_DEVICE -> "target device";
            default -> "reserved";
        };
    }

    /** NAA type (the high nibble of the first byte), or -1 for other designators. */
    public int naaType() {
        return type == TYPE_NAA && value.length > 0 ? (value[0] & 0xf0) >>> 4 : -1;
    }

    /** The low 16 bits of a relative port or port group designator (the number itself). */
    public int number() {
        return value.length >= 4 ? ((value[2] & 0xff) << 8) | (value[3] & 0xff) : -1;
    }

    /** The value as text: ASCII/UTF-8 code sets as strings, numbers for port designators, else hex. */
    public String valueText() {
        if (type == TYPE_RELATIVE_PORT || type == TYPE_TARGET_PORT_GROUP || type == TYPE_LOGICAL_UNIT_GROUP) {
            return Integer.toString(number());
        }
        if (codeSet == 2 || codeSet == 3) {
            return new String(value, StandardCharsets.UTF_8).replace("\0", "").trim();
        }
        return "0x" + HexFormat.of().formatHex(value);
    }

    @Override
    public String toString() {
        return typeName() + " (" + associationName() + "): " + valueText();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Designator d && d.protocolId == protocolId && d.codeSet == codeSet && d.piv == piv
                && d.association == association && d.type == type && java.util.Arrays.equals(d.value, value);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(value) * 31 + type * 7 + association;
    }
}
