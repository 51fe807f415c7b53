package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.AluaState;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a simulator configuration from YAML:
 * <pre>
 * control: 127.0.0.1:3270          # optional: where `sim ctl` connects
 * alua: both                       # none | implicit | explicit | both
 * port_groups:
 *   - {id: 16, state: active/optimized, preferred: true}
 *   - {id: 17, state: active/non-optimized}
 * portals:
 *   - {address: 127.0.0.1:3260, group: 16}
 *   - {address: 127.0.0.2:3260, group: 17}
 * targets:
 *   - iqn: iqn.2026-01.io.mapperd:sim
 *     chap: {user: u, password: p, target_user: t, target_password: q}   # optional
 *     luns:
 *       - {id: 1, file: /var/tmp/sim-disk1.img, size: 64M, block_size: 512, serial: SIM0001}
 * </pre>
 * Relative paths of backing files are resolved against the YAML file's directory.
 */
public final class SimConfigYaml {
    private SimConfigYaml() {
    }

    public static SimConfig load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            Path base = file.toAbsolutePath().getParent();
            return parse(doc, base);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    static SimConfig parse(Object doc, Path base) {
        if (!(doc instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("the top level must be a mapping with targets, portals and port_groups");
        }
        for (Object k : top.keySet()) {
            if (!List.of("control", "alua", "port_groups", "portals", "targets").contains(String.valueOf(k))) {
                throw new IllegalArgumentException("unknown key '" + k + "' (want control, alua, port_groups, portals, targets)");
            }
        }
        List<SimConfig.GroupSpec> groups = new ArrayList<>();
        for (Map<?, ?> g : maps(top.get("port_groups"), "port_groups")) {
            groups.add(new SimConfig.GroupSpec(integer(g, "id", "port_groups"),
                    AluaState.parse(str(g, "state", "active/optimized")), Boolean.TRUE.equals(g.get("preferred"))));
        }
        List<SimConfig.PortalSpec> portals = new ArrayList<>();
        for (Map<?, ?> p : maps(top.get("portals"), "portals")) {
            String addr = str(p, "address", null);
            if (addr == null) {
                throw new IllegalArgumentException("a portal has no address");
            }
            int colon = addr.lastIndexOf(':');
            String host = colon < 0 ? addr : addr.substring(0, colon);
            int port = colon < 0 ? 3260 : Integer.parseInt(addr.substring(colon + 1));
            int group = p.containsKey("group") ? integer(p, "group", "portal " + addr) : 1;
            portals.add(new SimConfig.PortalSpec(host, port, group));
        }
        if (groups.isEmpty()) {
            for (SimConfig.PortalSpec p : portals) {
                if (groups.stream().noneMatch(g -> g.id() == p.group())) {
                    groups.add(new SimConfig.GroupSpec(p.group(), AluaState.ACTIVE_OPTIMIZED, false));
                }
            }
        }
        List<SimConfig.TargetSpec> targets = new ArrayList<>();
        for (Map<?, ?> t : maps(top.get("targets"), "targets")) {
            String iqn = str(t, "iqn", null);
            if (iqn == null) {
                throw new IllegalArgumentException("a target has no iqn");
            }
            List<SimConfig.LunSpec> luns = new ArrayList<>();
            for (Map<?, ?> l : maps(t.get("luns"), "luns of " + iqn)) {
                String f = str(l, "file", null);
                if (f == null) {
                    throw new IllegalArgumentException("a LUN of " + iqn + " has no file");
                }
                Path fp = base == null ? Path.of(f) : base.resolve(f);
                luns.add(new SimConfig.LunSpec(l.containsKey("id") ? integer(l, "id", iqn) : luns.size(), fp.toString(),
                        size(l.get("size")), l.containsKey("block_size") ? integer(l, "block_size", iqn) : 512,
                        str(l, "serial", null), str(l, "naa", null)));
            }
            Map<?, ?> chap = t.get("chap") instanceof Map<?, ?> m ? m : Map.of();
            targets.add(new SimConfig.TargetSpec(iqn, luns, str(chap, "user", null), str(chap, "password", null),
                    str(chap, "target_user", null), str(chap, "target_password", null)));
        }
        SimConfig.AluaMode mode = SimConfig.AluaMode.parse(str(top, "alua", "implicit"));
        return new SimConfig(targets, portals, groups, mode, str(top, "control", null));
    }

    private static List<Map<?, ?>> maps(Object o, String what) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(what + " must be a list");
        }
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object e : l) {
            if (!(e instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("an entry of " + what + " is not a mapping: " + e);
            }
            out.add(m);
        }
        return out;
    }

    private static String str(Map<?, ?> m, String key, String dflt) {
        Object v = m.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    private static int integer(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v instanceof Integer i) {
            return i;
        }
        try {
            return Integer.decode(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + key + " '" + v + "' is not a number");
        }
    }

    /** 1048576, "64M", "1G", "512K" */
    static long size(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = String.valueOf(v).trim().toUpperCase();
        long mul = 1;
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        switch (last) {
            case 'K' -> mul = 1L << 10;
            case 'M' -> mul = 1L << 20;
            case 'G' -> mul = 1L << 30;
            case 'T' -> mul = 1L << 40;
            default -> { }
        }
        String digits = mul == 1 ? s : s.substring(0, s.length() - 1);
        try {
            return Long.parseLong(digits) * mul;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + v + "' is not a number with an optional K/M/G/T suffix");
        }
    }
}
