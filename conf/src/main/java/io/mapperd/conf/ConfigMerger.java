package io.mapperd.conf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges configuration sources the way multipath-tools builds its configuration: the built-in
 * hardware table first, then each file's device entries appended, an entry naming exactly the same
 * vendor/product/revision as an earlier one absorbing it (its own values win); defaults and
 * overrides overlaid file by file; blacklist rules appended and the built-in ones added last;
 * multipaths entries sorted by WWID with duplicates merged.
 */
public final class ConfigMerger {

    private ConfigMerger() {
    }

    /**
     * @param builtin the built-in defaults and hardware table
     * @param files   the main file, then the config_dir drop-ins in name order
     * @throws ConfigException when any source has a problem multipath-tools refuses
     */
    public static MultipathConfig merge(BuiltinConfig builtin, List<ConfigFile> files) throws ConfigException {
        List<Problem> problems = new ArrayList<>();
        for (ConfigFile f : files) {
            problems.addAll(f.problems());
        }
        if (problems.stream().anyMatch(p -> p.severity() == Severity.ERROR)) {
            throw new ConfigException("configuration refused", problems);
        }
        List<DeviceEntry> hw = new ArrayList<>(builtin.hardwareTable());
        Settings userDefaults = Settings.empty(Section.DEFAULTS);
        Settings overrides = Settings.empty(Section.OVERRIDES);
        List<ProtocolEntry> protocols = new ArrayList<>();
        List<BlacklistRule> blacklist = new ArrayList<>();
        List<BlacklistRule> exceptions = new ArrayList<>();
        List<MultipathEntry> multipaths = new ArrayList<>();
        List<IscsiPortal> portals = new ArrayList<>();
        List<NvmeDiscovery> discoveries = new ArrayList<>();
        for (ConfigFile f : files) {
            int before = hw.size();
            hw.addAll(f.devices());
            factorize(hw, before, f.name(), problems);
            userDefaults = userDefaults.overlay(f.defaults());
            overrides = overrides.overlay(f.overrides());
            for (ProtocolEntry p : f.protocols()) {
                if (p.type() == null) {
                    problems.add(Problem.warning(f.name(), p.origin().line(),
                            "protocol section in " + f.name() + " missing type"));
                } else {
                    protocols.add(p);
                }
            }
            blacklist.addAll(f.blacklist());
            exceptions.addAll(f.exceptions());
            multipaths.addAll(f.multipaths());
            portals.addAll(f.iscsiPortals());
            discoveries.addAll(f.nvmeDiscoveries());
        }
        Settings defaults = pollingIntervals(builtin.defaults().overlay(userDefaults));
        blacklist.addAll(builtin.blacklist());
        for (DeviceEntry d : hw) {
            if (d.productBlacklist() != null) {
                BlacklistRule r = BlacklistRule.device(d.vendor(), d.productBlacklist(),
                        d.settings().get("product_blacklist").orElseThrow().origin());
                if (blacklist.stream().noneMatch(x -> x.sameText(r))) {
                    blacklist.add(r);
                }
            }
        }
        exceptions.addAll(builtin.exceptions());
        return new MultipathConfig(defaults, hw, overrides, mergeProtocols(protocols),
                mergeMultipaths(multipaths, problems), new Blacklist(dedupe(blacklist), dedupe(exceptions)),
                portals, discoveries, problems, userDefaults);
    }

    /** Drops invalid new entries and merges entries with the same vendor/product/revision into the later one. */
    static void factorize(List<DeviceEntry> hw, int n, String file, List<Problem> problems) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < hw.size() && !changed; i++) {
                DeviceEntry e1 = hw.get(i);
                if (i >= n && (e1.vendor() == null || e1.product() == null)) {
                    problems.add(Problem.warning(file, e1.origin().line(),
                            "device config in " + file + " missing vendor or product parameter"));
                    hw.remove(i);
                    changed = true;
                    continue;
                }
                for (int j = Math.max(n, i + 1); j < hw.size(); j++) {
                    DeviceEntry e2 = hw.get(j);
                    if (e2.sameId(e1)) {
                        if (i >= n) {
                            problems.add(Problem.warning(file, e2.origin().line(), "duplicate device section for "
                                    + e1.vendor() + ":" + e1.product() + ":" + e1.revision() + " in " + file));
                        }
                        hw.set(j, reconcile(e2.withSettings(e2.settings().fillFrom(e1.settings()))));
                        hw.remove(i);
                        if (i < n) {
                            n--;
                        }
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    /** Turns the deprecated feature "queue_if_no_path" of a merged entry into no_path_retry, as multipath-tools does. */
    private static DeviceEntry reconcile(DeviceEntry e) {
        Setting features = e.settings().get("features").orElse(null);
        if (features == null || !features.value().toString().contains("queue_if_no_path")) {
            return e;
        }
        Settings s = e.settings();
        if (!s.isSet("no_path_retry")) {
            s = s.with(new Setting(Keywords.get(Section.DEVICE, "no_path_retry"), "queue", features.origin()));
        }
        s = s.with(new Setting(features.keyword(), removeFeature(features.value().toString(), "queue_if_no_path"),
                features.origin()));
        return e.withSettings(s);
    }

    /** Removes one word from a "COUNT word..." feature string and adjusts the count. */
    static String removeFeature(String features, String word) {
        String[] w = features.strip().split("\\s+");
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < w.length; i++) {
            if (!w[i].equals(word)) {
                rest.add(w[i]);
            }
        }
        return rest.isEmpty() ? "0" : rest.size() + " " + String.join(" ", rest);
    }

    /** Derives polling_interval and max_polling_interval from each other, as multipath-tools does. */
    private static Settings pollingIntervals(Settings d) {
        Keyword maxKw = Keywords.get(Section.DEFAULTS, "max_polling_interval");
        Keyword pollKw = Keywords.get(Section.DEFAULTS, "polling_interval");
        Setting poll = d.get("polling_interval").orElseThrow();
        boolean pollFromUser = poll.origin().source() != Source.BUILTIN_DEFAULT;
        Setting max = d.get("max_polling_interval").orElse(null);
        long p = (Long) poll.value();
        if (max == null || (Long) max.value() == 0) {
            long m = p < ValueType.UINT_MAX / 4 ? p * 4 : ValueType.UINT_MAX;
            return d.with(new Setting(maxKw, m, poll.origin().withSource(
                    pollFromUser ? Source.DEFAULTS : Source.BUILTIN_DEFAULT)));
        }
        long m = (Long) max.value();
        if (!pollFromUser) {
            return d.with(new Setting(pollKw, m >= 4 ? m / 4 : 1, max.origin()));
        }
        if (p > m) {
            return d.with(new Setting(pollKw, m, max.origin()));
        }
        return d;
    }

    private static List<ProtocolEntry> mergeProtocols(List<ProtocolEntry> in) {
        List<ProtocolEntry> out = new ArrayList<>(in);
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                if (out.get(i).type().equals(out.get(j).type())) {
                    out.set(j, out.get(j).withSettings(out.get(j).settings().fillFrom(out.get(i).settings())));
                    out.remove(i--);
                    break;
                }
            }
        }
        return out;
    }

    private static List<MultipathEntry> mergeMultipaths(List<MultipathEntry> in, List<Problem> problems) {
        List<MultipathEntry> out = new ArrayList<>();
        for (MultipathEntry m : in) {
            if (m.wwid() == null) {
                problems.add(Problem.warning(m.origin().file(), m.origin().line(),
                        "multipaths config section missing wwid"));
            } else {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(MultipathEntry::wwid));
        for (int i = 0; i + 1 < out.size(); i++) {
            MultipathEntry a = out.get(i);
            MultipathEntry b = out.get(i + 1);
            if (a.wwid().equals(b.wwid())) {
                problems.add(Problem.warning(b.origin().file(), b.origin().line(),
                        "duplicate multipath config section for " + a.wwid()));
                out.set(i + 1, b.withSettings(b.settings().fillFrom(a.settings())));
                out.remove(i--);
            }
        }
        return out;
    }

    /** Drops device rules with neither vendor nor product, and later copies of identical rules. */
    private static List<BlacklistRule> dedupe(List<BlacklistRule> in) {
        List<BlacklistRule> out = new ArrayList<>();
        for (BlacklistRule r : in) {
            if (r.kind() == RuleKind.DEVICE && r.vendor() == null && r.product() == null) {
                continue;
            }
            if (out.stream().noneMatch(x -> x.sameText(r))) {
                out.add(r);
            }
        }
        return out;
    }
}
