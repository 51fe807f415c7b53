package io.mapperd.multipathd.print;

import io.mapperd.multipathd.view.PathView;

import java.util.List;
import java.util.Locale;

/**
 * The path wildcards of multipath-tools 0.9.4 ({@code show wildcards}, "path format wildcards"),
 * in its order, with its headers and its words for missing values. A path that belongs to no map
 * prints "unknown" for dev_st, "undef" for chk_st and "orphan" for next_check, whatever its
 * checker last said, as multipathd does.
 */
public final class PathWildcards {
    public static final String ORPHAN = "[orphan]";

    public static final List<Wildcard<PathView>> ALL = List.of(
            new Wildcard<>('w', "uuid", PathView::wwid),
            new Wildcard<>('i', "hcil", p -> blank(p.hcil()) ? "#:#:#:#" : p.hcil()),
            new Wildcard<>('d', "dev", p -> blank(p.dev()) ? "-" : p.dev()),
            new Wildcard<>('D', "dev_t", p -> blank(p.dev()) ? "#:#" : p.devT()),
            new Wildcard<>('t', "dm_st", p -> or(p.dmState(), "undef")),
            // multipath-tools knows only offline or running here: a blocked (recovering) device is "running"
            new Wildcard<>('o', "dev_st", p -> orphan(p) ? "unknown" : "offline".equals(p.devState()) ? "offline" : "running"),
            new Wildcard<>('T', "chk_st", p -> orphan(p) ? "undef" : or(p.checkerState(), "undef")),
            new Wildcard<>('s', "vend/prod/rev", p -> nz(p.vendor()) + "," + nz(p.product())),
            new Wildcard<>('c', "checker", p -> or(p.checker(), "(null)")),
            new Wildcard<>('C', "next_check", p -> orphan(p) ? "orphan" : Progress.of(p.nextCheckSecs(), p.checkIntervalSecs())),
            new Wildcard<>('p', "pri", p -> Integer.toString(p.priority())),
            new Wildcard<>('S', "size", p -> Sizes.of(p.sizeSectors())),
            new Wildcard<>('z', "serial", p -> nz(p.serial())),
            new Wildcard<>('M', "marginal_st", p -> or(p.marginal(), "normal")),
            new Wildcard<>('m', "multipath", p -> orphan(p) ? ORPHAN : p.map()),
            new Wildcard<>('N', "host WWNN", p -> or(p.hostWwnn(), "[undef]")),
            new Wildcard<>('n', "target WWNN", p -> or(p.targetWwnn(), "[undef]")),
            new Wildcard<>('R', "host WWPN", p -> or(p.hostWwpn(), "[undef]")),
            new Wildcard<>('r', "target WWPN", p -> or(p.targetWwpn(), "[undef]")),
            new Wildcard<>('a', "host adapter", p -> or(p.hostAdapter(), "[undef]")),
            new Wildcard<>('G', "foreign", p -> "--"),
            new Wildcard<>('g', "vpd page data", p -> "[undef]"),
            new Wildcard<>('0', "failures", p -> Long.toString(p.failures())),
            new Wildcard<>('P', "protocol", p -> or(p.protocol(), "scsi:unspec")),
            new Wildcard<>('I', "init_st", p -> or(p.initState(), "undef")),
            new Wildcard<>('L', "LUN hex", PathWildcards::lunHex));

    private PathWildcards() {
    }

    public static boolean orphan(PathView p) {
        return blank(p.map()) || p.map().equals(ORPHAN);
    }

    /** The LUN of the hcil in SCSI's 8-byte LUN structure, as the kernel's int_to_scsilun lays it out. */
    static String lunHex(PathView p) {
        long lun = -1L;
        String[] h = blank(p.hcil()) ? new String[0] : p.hcil().split(":");
        if (h.length == 4) {
            try {
                long l = Long.parseUnsignedLong(h[3]);
                lun = ((l & 0xffffL) << 48) | ((l & 0xffff0000L) << 16) | ((l & 0xffff00000000L) >>> 16)
                        | ((l & 0xffff000000000000L) >>> 48);
            } catch (NumberFormatException e) {
                lun = -1L;
            }
        }
        return String.format(Locale.ROOT, "0x%016x", lun);
    }

    static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    static String or(String s, String missing) {
        return blank(s) ? missing : s;
    }
}
