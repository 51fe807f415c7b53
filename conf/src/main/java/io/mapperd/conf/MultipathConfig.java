package io.mapperd.conf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merged configuration: built-in defaults, the defaults section, the hardware table with the
 * user's device entries merged in, overrides, the multipaths entries, the blacklist and mapperd's
 * transports. Immutable. Answers "what applies to this path / this map, and where did it come from"
 * with multipath-tools' precedence: multipaths entry, overrides (a matching protocol subsection
 * first), matching device entries (last one first, user entries after the built-in ones), the
 * defaults section, built-in defaults.
 *
 * @param defaults  every defaults keyword with its effective value (built-in or from the defaults section)
 * @param devices   the hardware table: built-in entries followed by the user's, duplicates merged
 * @param overrides the overrides section
 * @param protocols the overrides protocol subsections, one per protocol
 * @param multipaths the multipaths entries, sorted by WWID, duplicates merged
 * @param problems  warnings and notices found while loading (errors make loading fail instead)
 * @param localOnlyDefaults the defaults section as written in the files, without built-in values
 */
public record MultipathConfig(Settings defaults, List<DeviceEntry> devices, Settings overrides,
                              List<ProtocolEntry> protocols, List<MultipathEntry> multipaths, Blacklist blacklist,
                              List<IscsiPortal> iscsiPortals, List<NvmeDiscovery> nvmeDiscoveries,
                              List<Problem> problems, Settings localOnlyDefaults) {

    public MultipathConfig {
        devices = List.copyOf(devices);
        protocols = List.copyOf(protocols);
        multipaths = List.copyOf(multipaths);
        iscsiPortals = List.copyOf(iscsiPortals);
        nvmeDiscoveries = List.copyOf(nvmeDiscoveries);
        problems = List.copyOf(problems);
    }

    /** The device entries matching the path's vendor/product/revision, highest precedence first. */
    public List<DeviceEntry> matchingDevices(String vendor, String product, String revision) {
        List<DeviceEntry> out = new ArrayList<>();
        for (int i = devices.size() - 1; i >= 0; i--) {
            if (devices.get(i).matches(vendor, product, revision)) {
                out.add(devices.get(i));
            }
        }
        return out;
    }

    /** The multipaths entry for {@code wwid}, or null. */
    public MultipathEntry multipath(String wwid) {
        if (wwid == null || wwid.isEmpty()) {
            return null;
        }
        for (MultipathEntry m : multipaths) {
            if (wwid.equals(m.wwid())) {
                return m;
            }
        }
        return null;
    }

    /** The WWID that a multipaths entry gives {@code alias}, or null. */
    public String wwidForAlias(String alias) {
        for (MultipathEntry m : multipaths) {
            if (alias.equals(m.alias())) {
                return m.wwid();
            }
        }
        return null;
    }

    /** Everything that applies to {@code path}: its device entries, overrides, its WWID's multipaths entry. */
    public ResolvedSettings forPath(PathIdentity path) {
        return resolve(path, path.wwid());
    }

    /**
     * Everything that applies to the map with {@code wwid} whose paths look like {@code path}
     * (multipath-tools takes the device entries of the map's paths).
     */
    public ResolvedSettings forMap(String wwid, PathIdentity path) {
        return resolve(path, wwid);
    }

    /** Blacklist check with the path's own uid_attribute. */
    public BlacklistVerdict checkBlacklist(PathIdentity path) {
        return blacklist.check(path, forPath(path).string("uid_attribute"));
    }

    private ResolvedSettings resolve(PathIdentity path, String wwid) {
        List<DeviceEntry> hw = path == null ? List.of()
                : matchingDevices(path.vendor(), path.product(), path.revision());
        MultipathEntry mpe = multipath(wwid);
        ProtocolEntry pce = null;
        if (path != null && path.protocol() != null) {
            for (ProtocolEntry p : protocols) {
                if (path.protocol().equals(p.type())) {
                    pce = p;
                }
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (Section s : List.of(Section.DEFAULTS, Section.DEVICE, Section.OVERRIDES, Section.MULTIPATH)) {
            for (Keyword k : Keywords.printable(s)) {
                names.add(k.name());
            }
        }
        names.removeAll(Set.of("vendor", "product", "revision", "product_blacklist", "wwid"));
        Map<String, Setting> out = new LinkedHashMap<>();
        for (String name : names) {
            Setting s = pick(name, mpe == null ? null : mpe.settings());
            if (s == null && pce != null && !name.equals("type")) {
                s = pick(name, pce.settings());
            }
            if (s == null) {
                s = pick(name, overrides);
            }
            for (int i = 0; s == null && i < hw.size(); i++) {
                s = pick(name, hw.get(i).settings());
            }
            if (s == null) {
                s = pick(name, defaults);
            }
            if (s != null) {
                out.put(name, s);
            }
        }
        return new ResolvedSettings(out, hw, mpe);
    }

    private static Setting pick(String name, Settings level) {
        if (level == null) {
            return null;
        }
        Setting s = level.get(name).orElse(null);
        return s == null || s.isUnset() ? null : s;
    }
}
