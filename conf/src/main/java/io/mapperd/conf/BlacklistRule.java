package io.mapperd.conf;

import java.util.Objects;

/**
 * One blacklist or blacklist_exceptions rule. A DEVICE rule has vendor and/or product regexes;
 * the others one regex. A leading "!" inverts a regex, as in multipath-tools.
 */
public record BlacklistRule(RuleKind kind, String regex, String vendor, String product, Origin origin) {

    public static BlacklistRule simple(RuleKind kind, String regex, Origin origin) {
        return new BlacklistRule(kind, regex, null, null, origin);
    }

    public static BlacklistRule device(String vendor, String product, Origin origin) {
        return new BlacklistRule(RuleKind.DEVICE, null, vendor, product, origin);
    }

    /** True when the rule is one multipath-tools adds itself rather than one from a config file. */
    public boolean isDefault() {
        return origin.source() == Source.BUILTIN_DEFAULT || origin.source() == Source.HWTABLE;
    }

    /** True when the two rules have the same text (origins aside). */
    public boolean sameText(BlacklistRule other) {
        return kind == other.kind && Objects.equals(regex, other.regex) && Objects.equals(vendor, other.vendor)
                && Objects.equals(product, other.product);
    }

    /** Matches a devnode, wwid, property name or protocol string. */
    public boolean matches(String value) {
        return matchInverted(regex, value);
    }

    /** Matches a vendor and product; an unset side of the rule matches anything. */
    public boolean matchesDevice(String v, String p) {
        if (vendor == null && product == null) {
            return false;
        }
        return (vendor == null || matchInverted(vendor, v)) && (product == null || matchInverted(product, p));
    }

    static boolean matchInverted(String regex, String value) {
        boolean invert = false;
        String r = regex;
        if (r.startsWith("!")) {
            invert = true;
            r = r.substring(1);
        } else if (r.startsWith("\\!")) {
            r = r.substring(1);
        }
        return PosixRegex.find(r, value) != invert;
    }

    /** The regex without the inversion mark, which must compile. */
    public static String compilable(String regex) {
        if (regex.startsWith("!") || regex.startsWith("\\!")) {
            return regex.substring(1);
        }
        return regex;
    }

    public String describe() {
        return kind == RuleKind.DEVICE ? vendor + ":" + product : regex;
    }

    public BlacklistRule stripOrigin() {
        return new BlacklistRule(kind, regex, vendor, product, Origin.NONE);
    }
}
