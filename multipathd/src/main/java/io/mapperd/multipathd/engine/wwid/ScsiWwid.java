package io.mapperd.multipathd.engine.wwid;

import io.mapperd.transport.iscsi.scsi.Designator;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A SCSI logical unit's WWID from its VPD page 0x83 designators, with the preference multipath-tools
 * applies (libmultipath's parse_vpd_pg83, the same order as udev's scsi_id): only designators of the
 * logical unit count; NAA IEEE Registered Extended (6) first, then NAA 5, NAA 2, EUI-64 (the longest
 * first), a SCSI name string in eui./naa./iqn. form, a T10 vendor id, and NAA 3 (locally assigned)
 * last. The text carries the designator type as its first digit: "3" + hex for NAA, "2" + hex for
 * EUI-64, "8" + the name for a SCSI name string, "1" + the vendor id with blanks as underscores.
 */
public final class ScsiWwid {
    private ScsiWwid() {
    }

    /** The WWID, or empty when no designator of the logical unit qualifies. */
    public static Optional<String> derive(List<Designator> designators) {
        Designator best = null;
        int bestRank = 0;
        for (Designator d : designators) {
            if (d.association() != Designator.ASSOC_LOGICAL_UNIT) {
                continue;
            }
            int r = rank(d);
            if (r > bestRank) {
                best = d;
                bestRank = r;
            }
        }
        return best == null ? Optional.empty() : Optional.of(text(best));
    }

    /** Preference of one designator; 0 when it is not used as a WWID. */
    static int rank(Designator d) {
        return switch (d.type()) {
            case Designator.TYPE_NAA -> d.codeSet() != 1 ? 0 : switch (d.naaType()) {
                case 6 -> 9;
                case 5 -> 8;
                case 2 -> 7;
                case 3 -> 1;
                default -> 0;
            };
            case Designator.TYPE_EUI64 -> d.codeSet() != 1 ? 0 : switch (d.value().length) {
                case 16 -> 6;
                case 12 -> 5;
                case 8 -> 4;
                default -> 0;
            };
            case Designator.TYPE_SCSI_NAME -> scsiNameUsable(d) ? 3 : 0;
            case Designator.TYPE_T10 -> 2;
            default -> 0;
        };
    }

    private static boolean scsiNameUsable(Designator d) {
        if (d.codeSet() != 3 || d.value().length < 4) {
            return false;
        }
        String p = new String(d.value(), 0, 4, StandardCharsets.US_ASCII).toLowerCase();
        return p.equals("eui.") || p.equals("naa.") || p.equals("iqn.");
    }

    static String text(Designator d) {
        return switch (d.type()) {
            case Designator.TYPE_NAA -> "3" + HexFormat.of().formatHex(d.value());
            case Designator.TYPE_EUI64 -> "2" + HexFormat.of().formatHex(d.value());
            case Designator.TYPE_SCSI_NAME -> "8" + ascii(d.value()).strip();
            default -> "1" + ascii(d.value()).strip().replaceAll("\\s+", "_");
        };
    }

    private static String ascii(byte[] v) {
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) {
            n--;
        }
        return new String(v, 0, n, StandardCharsets.US_ASCII);
    }
}
