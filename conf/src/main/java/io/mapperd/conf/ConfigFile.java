package io.mapperd.conf;

import java.util.List;

/**
 * The content of one configuration source (a multipath.conf, a drop-in, a YAML file or a built-in
 * resource) as written, before merging, with the problems found while reading it.
 */
public record ConfigFile(String name, Settings defaults, List<BlacklistRule> blacklist,
                         List<BlacklistRule> exceptions, List<DeviceEntry> devices, Settings overrides,
                         List<ProtocolEntry> protocols, List<MultipathEntry> multipaths,
                         List<IscsiPortal> iscsiPortals, List<NvmeDiscovery> nvmeDiscoveries,
                         List<Problem> problems) {

    public ConfigFile {
        blacklist = List.copyOf(blacklist);
        exceptions = List.copyOf(exceptions);
        devices = List.copyOf(devices);
        protocols = List.copyOf(protocols);
        multipaths = List.copyOf(multipaths);
        iscsiPortals = List.copyOf(iscsiPortals);
        nvmeDiscoveries = List.copyOf(nvmeDiscoveries);
        problems = List.copyOf(problems);
    }

    /** True when multipath-tools would refuse this file as a whole. */
    public boolean refused() {
        return problems.stream().anyMatch(p -> p.severity() == Severity.ERROR);
    }

    /** Rules without origins, grouped by kind in file order (the order between kinds does not matter). */
    private static List<BlacklistRule> byKind(List<BlacklistRule> rules) {
        return rules.stream().map(BlacklistRule::stripOrigin)
                .sorted(java.util.Comparator.comparing(BlacklistRule::kind)).toList();
    }

    /** The same content with no origins and no problems, to compare two forms of one configuration. */
    public ConfigFile content() {
        return new ConfigFile("", defaults.stripOrigins(),
                byKind(blacklist), byKind(exceptions),
                devices.stream().map(d -> new DeviceEntry(d.settings().stripOrigins(), Origin.NONE)).toList(),
                overrides.stripOrigins(),
                protocols.stream().map(p -> new ProtocolEntry(p.settings().stripOrigins(), Origin.NONE)).toList(),
                multipaths.stream().map(m -> new MultipathEntry(m.settings().stripOrigins(), Origin.NONE)).toList(),
                iscsiPortals.stream().map(p -> new IscsiPortal(p.settings().stripOrigins(), Origin.NONE)).toList(),
                nvmeDiscoveries.stream().map(n -> new NvmeDiscovery(n.settings().stripOrigins(), Origin.NONE))
                        .toList(),
                List.of());
    }
}
