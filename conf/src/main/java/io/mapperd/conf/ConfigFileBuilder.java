package io.mapperd.conf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects the content of one configuration source while a reader (multipath.conf or YAML) walks
 * it. Every keyword and value goes through the same checks here, so both forms are validated
 * the same way and report the same problems.
 */
public final class ConfigFileBuilder {
    private static final java.util.Set<String> DEPRECATED_FILES =
            java.util.Set.of("bindings_file", "wwids_file", "prkeys_file");
    private final String file;
    private final boolean builtin;
    private final List<Problem> problems = new ArrayList<>();
    private final Entry defaults;
    private final Entry overrides;
    private final List<BlacklistRule> blacklist = new ArrayList<>();
    private final List<BlacklistRule> exceptions = new ArrayList<>();
    private final List<Entry> devices = new ArrayList<>();
    private final List<Entry> protocols = new ArrayList<>();
    private final List<Entry> multipaths = new ArrayList<>();
    private final List<Entry> portals = new ArrayList<>();
    private final List<Entry> discoveries = new ArrayList<>();
    private final List<Entry> blacklistDevices = new ArrayList<>();
    private final List<Entry> exceptionDevices = new ArrayList<>();

    /** An entry being filled: its section, where it started, and its settings so far. */
    public static final class Entry {
        private final Section section;
        private final Origin origin;
        private final Map<String, Setting> settings = new LinkedHashMap<>();

        Entry(Section section, Origin origin) {
            this.section = section;
            this.origin = origin;
        }

        public Section section() {
            return section;
        }

        Settings settings() {
            return new Settings(section, settings);
        }
    }

    /**
     * @param file    the name problems and origins carry
     * @param builtin true for mapperd's own resources: their defaults are built-in defaults and
     *                their devices the built-in hardware table
     */
    public ConfigFileBuilder(String file, boolean builtin) {
        this.file = file;
        this.builtin = builtin;
        this.defaults = new Entry(Section.DEFAULTS, origin(builtin ? Source.BUILTIN_DEFAULT : Source.DEFAULTS, 0));
        this.overrides = new Entry(Section.OVERRIDES, origin(Source.OVERRIDES, 0));
    }

    public String file() {
        return file;
    }

    private Origin origin(Source source, int line) {
        return new Origin(source, file, line);
    }

    public void problem(Severity severity, int line, String message) {
        problems.add(new Problem(severity, file, line, message));
    }

    public Entry defaults() {
        return defaults;
    }

    public Entry overrides() {
        return overrides;
    }

    public Entry newDevice(int line) {
        return add(devices, new Entry(Section.DEVICE, origin(builtin ? Source.HWTABLE : Source.DEVICES, line)));
    }

    public Entry newProtocol(int line) {
        return add(protocols, new Entry(Section.PROTOCOL, origin(Source.OVERRIDES_PROTOCOL, line)));
    }

    public Entry newMultipath(int line) {
        return add(multipaths, new Entry(Section.MULTIPATH, origin(Source.MULTIPATHS, line)));
    }

    public Entry newIscsiPortal(int line) {
        return add(portals, new Entry(Section.ISCSI_PORTAL, origin(Source.TRANSPORTS, line)));
    }

    public Entry newNvmeDiscovery(int line) {
        return add(discoveries, new Entry(Section.NVME_DISCOVERY, origin(Source.TRANSPORTS, line)));
    }

    public Entry newBlacklistDevice(boolean exception, int line) {
        Source s = exception ? Source.BLACKLIST_EXCEPTIONS : Source.BLACKLIST;
        Entry e = new Entry(Section.BLACKLIST_DEVICE, origin(builtin ? Source.BUILTIN_DEFAULT : s, line));
        (exception ? exceptionDevices : blacklistDevices).add(e);
        (exception ? exceptions : blacklist).add(null);
        return e;
    }

    private static Entry add(List<Entry> list, Entry e) {
        list.add(e);
        return e;
    }

    /** The keyword {@code word} of the entry's section, if any. */
    public static Optional<Keyword> keyword(Entry entry, String word) {
        return Keywords.find(entry.section(), word);
    }

    /**
     * Parses {@code raw} for {@code kw} and stores it in {@code entry}, reporting any problem at
     * {@code line}. Returns false when the problem makes the whole configuration refused.
     */
    public boolean set(Entry entry, Keyword kw, String raw, int line) {
        if (DEPRECATED_FILES.contains(kw.name()) && entry.section() == Section.DEFAULTS && !builtin) {
            problems.add(new Problem(Severity.NOTICE, file, line,
                    "\"" + kw.name() + "\" is deprecated and will be disabled in a future release"));
        }
        ParsedValue pv = kw.parse(raw);
        if (pv.hasProblem()) {
            problems.add(new Problem(pv.severity(), file, line, pv.message()));
        }
        if (pv.value() != null) {
            Keyword canonical = Keywords.get(entry.section(), kw.canonical());
            Source source = entry.origin.source();
            entry.settings.put(canonical.name(), new Setting(canonical, pv.value(), origin(source, line)));
        }
        return pv.severity() != Severity.ERROR;
    }

    /** Adds a devnode, wwid, property or protocol rule; an invalid regex refuses the configuration. */
    public boolean rule(boolean exception, RuleKind kind, String regex, int line) {
        if (!PosixRegex.isValid(BlacklistRule.compilable(regex))) {
            problem(Severity.ERROR, line, "invalid regular expression for " + kind.keyword() + ": \"" + regex + "\"");
            return false;
        }
        Source s = builtin ? Source.BUILTIN_DEFAULT : exception ? Source.BLACKLIST_EXCEPTIONS : Source.BLACKLIST;
        (exception ? exceptions : blacklist).add(BlacklistRule.simple(kind, regex, origin(s, line)));
        return true;
    }

    /** Sets vendor or product of a blacklist device entry; an invalid regex refuses the configuration. */
    public boolean deviceRulePart(Entry entry, String word, String regex, int line) {
        if (!PosixRegex.isValid(BlacklistRule.compilable(regex))) {
            problem(Severity.ERROR, line, "invalid regular expression for " + word + ": \"" + regex + "\"");
            return false;
        }
        Keyword kw = Keywords.get(Section.BLACKLIST_DEVICE, word);
        entry.settings.put(word, new Setting(kw, regex, entry.origin));
        return true;
    }

    public ConfigFile build() {
        for (Entry p : portals) {
            checkTransport(p, "portal", "iscsi_portal");
            checkPair(p, "chap_username", "chap_password");
            checkPair(p, "mutual_chap_username", "mutual_chap_password");
            if (p.settings.containsKey("mutual_chap_username") && !p.settings.containsKey("chap_username")) {
                problem(Severity.ERROR, p.origin.line(), "iscsi_portal: mutual CHAP needs chap_username and chap_password");
            }
            checkStatic(p, "target", "iscsi_portal");
        }
        for (Entry d : discoveries) {
            checkTransport(d, "address", "nvme_discovery");
            checkStatic(d, "subsystem_nqn", "nvme_discovery");
        }
        return new ConfigFile(file, defaults.settings(), rules(blacklist, blacklistDevices),
                rules(exceptions, exceptionDevices), devices.stream().map(e -> new DeviceEntry(e.settings(), e.origin)).toList(),
                overrides.settings(), protocols.stream().map(e -> new ProtocolEntry(e.settings(), e.origin)).toList(),
                multipaths.stream().map(e -> new MultipathEntry(e.settings(), e.origin)).toList(),
                portals.stream().map(e -> new IscsiPortal(e.settings(), e.origin)).toList(),
                discoveries.stream().map(e -> new NvmeDiscovery(e.settings(), e.origin)).toList(), problems);
    }

    private void checkTransport(Entry e, String required, String section) {
        if (!e.settings.containsKey(required)) {
            problem(Severity.ERROR, e.origin.line(), section + " section missing " + required);
        }
    }

    /** Without discovery the entry names the one target (or subsystem) to connect to. */
    private void checkStatic(Entry e, String required, String section) {
        Setting d = e.settings.get("discovery");
        if (d != null && Boolean.FALSE.equals(d.value()) && !e.settings.containsKey(required)) {
            problem(Severity.ERROR, e.origin.line(), section + " with discovery no needs " + required);
        }
    }

    private void checkPair(Entry e, String user, String secret) {
        if (e.settings.containsKey(user) != e.settings.containsKey(secret)) {
            problem(Severity.ERROR, e.origin.line(), "iscsi_portal: " + user + " and " + secret + " go together");
        }
    }

    /** The simple rules in order, with each device placeholder replaced by its device rule. */
    private static List<BlacklistRule> rules(List<BlacklistRule> ordered, List<Entry> devices) {
        List<BlacklistRule> out = new ArrayList<>();
        int d = 0;
        for (BlacklistRule r : ordered) {
            if (r != null) {
                out.add(r);
                continue;
            }
            Entry e = devices.get(d++);
            out.add(BlacklistRule.device(e.settings().string("vendor"), e.settings().string("product"), e.origin));
        }
        return out;
    }
}
