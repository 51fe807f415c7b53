package io.mapperd.conf;

import java.util.List;
import java.util.Map;

/**
 * The merged blacklist and its exceptions. A path is checked as multipath-tools checks it: udev
 * properties, device node, vendor/product, protocol, then WWID; for each kind an exception that
 * matches wins over a blacklist rule.
 */
public record Blacklist(List<BlacklistRule> rules, List<BlacklistRule> exceptions) {

    public Blacklist {
        rules = List.copyOf(rules);
        exceptions = List.copyOf(exceptions);
    }

    public List<BlacklistRule> rules(RuleKind kind) {
        return rules.stream().filter(r -> r.kind() == kind).toList();
    }

    public List<BlacklistRule> exceptions(RuleKind kind) {
        return exceptions.stream().filter(r -> r.kind() == kind).toList();
    }

    /**
     * Checks {@code path}; {@code uidAttribute} is the udev property that carries its WWID (see
     * {@link MultipathConfig#forPath}), used for the "property missing" rule.
     */
    public BlacklistVerdict check(PathIdentity path, String uidAttribute) {
        String dev = path.devnode() == null ? "?" : path.devnode();
        // Each filter on its own, as multipath-tools' filter_*: an exception only passes its own filter.
        List<BlacklistVerdict> verdicts = new java.util.ArrayList<>();
        if (path.properties() != null) {
            verdicts.add(checkProperties(dev, path.properties(), uidAttribute));
        }
        verdicts.add(checkSimple(RuleKind.DEVNODE, dev, path.devnode(), dev));
        verdicts.add(checkDevice(dev, path.vendor(), path.product()));
        verdicts.add(checkSimple(RuleKind.PROTOCOL, dev, path.protocol(), path.protocol()));
        verdicts.add(checkSimple(RuleKind.WWID, dev, path.wwid(), path.wwid()));
        BlacklistVerdict excepted = null;
        for (BlacklistVerdict v : verdicts) {
            if (v != null && v.blacklisted()) {
                return v;
            }
            if (v != null && excepted == null) {
                excepted = v;
            }
        }
        return excepted != null ? excepted : BlacklistVerdict.nothing(dev);
    }

    private BlacklistVerdict checkDevice(String dev, String vendor, String product) {
        if (vendor == null || product == null) {
            return null;
        }
        String what = "(" + vendor + ":" + product + ")";
        for (BlacklistRule r : exceptions(RuleKind.DEVICE)) {
            if (r.matchesDevice(vendor, product)) {
                return verdict(false, r, dev + ": " + what + " vendor/product whitelisted");
            }
        }
        for (BlacklistRule r : rules(RuleKind.DEVICE)) {
            if (r.matchesDevice(vendor, product)) {
                return verdict(true, r, dev + ": " + what + " vendor/product blacklisted");
            }
        }
        return null;
    }

    /** Checks a WWID alone (as for a map), ignoring the other rule kinds. */
    public BlacklistVerdict checkWwid(String wwid) {
        BlacklistVerdict v = checkSimple(RuleKind.WWID, wwid, wwid, null);
        return v != null ? v : BlacklistVerdict.nothing(wwid);
    }

    private BlacklistVerdict checkSimple(RuleKind kind, String dev, String value, String shown) {
        if (value == null) {
            return null;
        }
        String subject = shown == null || shown.equals(dev) ? dev + ": " + kind.description()
                : dev + ": " + kind.description() + " " + shown;
        for (BlacklistRule r : exceptions(kind)) {
            if (r.matches(value)) {
                return verdict(false, r, subject + " whitelisted");
            }
        }
        for (BlacklistRule r : rules(kind)) {
            if (r.matches(value)) {
                return verdict(true, r, subject + " blacklisted");
            }
        }
        return null;
    }

    private BlacklistVerdict checkProperties(String dev, Map<String, String> props, String uidAttribute) {
        boolean checkMissing = uidAttribute != null && !uidAttribute.isEmpty();
        boolean seen = false;
        for (String env : props.keySet().stream().sorted().toList()) {
            if (checkMissing && env.equals(uidAttribute)) {
                seen = true;
            }
            for (BlacklistRule r : exceptions(RuleKind.PROPERTY)) {
                if (r.matches(env)) {
                    return verdict(false, r, dev + ": udev property " + env + " whitelisted");
                }
            }
            for (BlacklistRule r : rules(RuleKind.PROPERTY)) {
                if (r.matches(env)) {
                    return verdict(true, r, dev + ": udev property " + env + " blacklisted");
                }
            }
        }
        if (checkMissing && seen) {
            return new BlacklistVerdict(true, false, null, dev + ": blacklisted, udev property missing");
        }
        return null;
    }

    private static BlacklistVerdict verdict(boolean blacklisted, BlacklistRule r, String reason) {
        String rule = " by " + r.kind().keyword() + " \"" + r.describe() + "\" (" + ruleOrigin(r) + ")";
        return new BlacklistVerdict(blacklisted, !blacklisted, r, reason + rule);
    }

    private static String ruleOrigin(BlacklistRule r) {
        return r.isDefault() ? "default rule" : r.origin().describe();
    }
}
