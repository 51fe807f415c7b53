package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.AnaState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The NVMe/TCP part of target-sim's YAML: the {@code nvme:} section.
 * <pre>
 * nvme:
 *   max-h2c-data: 4M          # optional, as ICResp offers it (nvmet: 4 MiB)
 *   in-capsule: 8K            # optional, in-capsule data of I/O commands
 *   portals:
 *     - {id: 1, address: 127.0.0.1:4420}
 *     - {id: 2, address: 127.0.0.1:4421}
 *   subsystems:
 *     - nqn: nqn.2024-01.io.mapperd:sim1
 *       serial: SIM0001        # optional
 *       model: mapperd-sim     # optional
 *       portals: [1, 2]        # optional, default all
 *       namespaces:
 *         - nsid: 1
 *           file: /dev/shm/sim1.img
 *           size: 64M          # creates or extends the file
 *           ana-group: 1       # optional, default 1
 *           uuid: 0b0e...      # optional: a UUID, "none", or default derived from NQN and NSID
 *           nguid: 00112233445566778899aabbccddeeff   # optional
 *           eui64: 0011223344556677                    # optional
 *   ana:                       # optional, default optimized everywhere
 *     - {portal: 2, group: 1, state: non-optimized}
 * </pre>
 * A relative {@code file} is resolved against the YAML file's directory.
 */
public record NvmeSimConfig(List<Portal> portals, List<Subsystem> subsystems, List<AnaSetting> ana, int maxH2cData, int inCapsule) {
    public static final int DEFAULT_MAX_H2C_DATA = 4 << 20;
    public static final int DEFAULT_IN_CAPSULE = 8192;

    public record Portal(int id, String host, int port) {
    }

    public record Namespace(int nsid, Path file, long size, int anaGroup, String nguid, String eui64, UUID uuid) {
    }

    public record Subsystem(String nqn, String serial, String model, List<Integer> portals, List<Namespace> namespaces) {
    }

    public record AnaSetting(int portal, int group, AnaState state) {
    }

    /** Parses the {@code nvme:} section of a loaded YAML document (the whole document's map). */
    @SuppressWarnings("unchecked")
    public static NvmeSimConfig fromYaml(Map<String, Object> root, Path baseDir) {
        Object section = root.get("nvme");
        if (!(section instanceof Map)) {
            throw new IllegalArgumentException("no 'nvme:' section (a map) in the configuration");
        }
        Map<String, Object> nvme = (Map<String, Object>) section;
        known("nvme", nvme, Set.of("portals", "subsystems", "ana", "max-h2c-data", "in-capsule"));
        List<Portal> portals = new ArrayList<>();
        for (Map<String, Object> p : maps("nvme.portals", nvme.get("portals"))) {
            known("portal", p, Set.of("id", "address"));
            int id = integer("portal id", p.get("id"));
            String addr = string("portal " + id + " address", p.get("address"));
            int colon = addr.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("portal " + id + ": address '" + addr + "' is not HOST:PORT");
            }
            portals.add(new Portal(id, addr.substring(0, colon), integer("portal " + id + " port", addr.substring(colon + 1))));
        }
        if (portals.isEmpty()) {
            throw new IllegalArgumentException("nvme.portals: at least one portal is needed");
        }
        List<Integer> allPortals = portals.stream().map(Portal::id).toList();
        List<Subsystem> subs = new ArrayList<>();
        for (Map<String, Object> s : maps("nvme.subsystems", nvme.get("subsystems"))) {
            known("subsystem", s, Set.of("nqn", "serial", "model", "portals", "namespaces"));
            String nqn = string("subsystem nqn", s.get("nqn"));
            if (!nqn.startsWith("nqn.")) {
                throw new IllegalArgumentException("subsystem nqn '" + nqn + "' does not start with 'nqn.'");
            }
            String serial = s.containsKey("serial") ? string(nqn + " serial", s.get("serial")) : "SIM" + String.format("%08x", nqn.hashCode());
            String model = s.containsKey("model") ? string(nqn + " model", s.get("model")) : "mapperd-sim";
            List<Integer> ps = new ArrayList<>();
            if (s.get("portals") == null) {
                ps.addAll(allPortals);
            } else if (s.get("portals") instanceof List<?> l) {
                for (Object o : l) {
                    ps.add(integer(nqn + " portal", o));
                }
            } else {
                throw new IllegalArgumentException(nqn + ": portals must be a list of portal ids");
            }
            List<Namespace> nss = new ArrayList<>();
            for (Map<String, Object> n : maps(nqn + " namespaces", s.get("namespaces"))) {
                known("namespace", n, Set.of("nsid", "file", "size", "ana-group", "uuid", "nguid", "eui64"));
                int nsid = integer(nqn + " nsid", n.get("nsid"));
                Path file = Path.of(string(nqn + " namespace " + nsid + " file", n.get("file")));
                if (!file.isAbsolute() && baseDir != null) {
                    file = baseDir.resolve(file);
                }
                long size = n.containsKey("size") ? size(nqn + " namespace " + nsid + " size", n.get("size")) : 0;
                int group = n.containsKey("ana-group") ? integer("ana-group", n.get("ana-group")) : 1;
                UUID uuid;
                Object u = n.get("uuid");
                if (u == null) {
                    uuid = UUID.nameUUIDFromBytes((nqn + "/" + nsid).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } else if ("none".equals(String.valueOf(u))) {
                    uuid = null;
                } else {
                    try {
                        uuid = UUID.fromString(String.valueOf(u));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(nqn + " namespace " + nsid + ": uuid '" + u + "' is not a UUID");
                    }
                }
                String nguid = n.containsKey("nguid") ? String.valueOf(n.get("nguid")).toLowerCase(Locale.ROOT) : "";
                String eui = n.containsKey("eui64") ? String.valueOf(n.get("eui64")).toLowerCase(Locale.ROOT) : "";
                nss.add(new Namespace(nsid, file, size, group, nguid, eui, uuid));
            }
            subs.add(new Subsystem(nqn, serial, model, List.copyOf(ps), List.copyOf(nss)));
        }
        List<AnaSetting> ana = new ArrayList<>();
        if (nvme.get("ana") != null) {
            for (Map<String, Object> a : maps("nvme.ana", nvme.get("ana"))) {
                known("ana", a, Set.of("portal", "group", "state"));
                ana.add(new AnaSetting(integer("ana portal", a.get("portal")), integer("ana group", a.get("group")),
                        AnaState.parse(string("ana state", a.get("state")))));
            }
        }
        int maxH2c = nvme.containsKey("max-h2c-data") ? (int) size("max-h2c-data", nvme.get("max-h2c-data")) : DEFAULT_MAX_H2C_DATA;
        int inCapsule = nvme.containsKey("in-capsule") ? (int) size("in-capsule", nvme.get("in-capsule")) : DEFAULT_IN_CAPSULE;
        if (inCapsule < 0 || inCapsule > (1 << 20)) {
            throw new IllegalArgumentException("in-capsule " + inCapsule + " outside 0..1M");
        }
        return new NvmeSimConfig(List.copyOf(portals), List.copyOf(subs), List.copyOf(ana), maxH2c, inCapsule);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(String what, Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(what + " must be a list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object e : l) {
            if (!(e instanceof Map)) {
                throw new IllegalArgumentException(what + ": entry '" + e + "' is not a map");
            }
            out.add((Map<String, Object>) e);
        }
        return out;
    }

    private static void known(String what, Map<String, Object> m, Set<String> keys) {
        for (String k : m.keySet()) {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException(what + ": unknown key '" + k + "' (known: " + new java.util.TreeSet<>(keys) + ")");
            }
        }
    }

    private static String string(String what, Object o) {
        if (o == null || String.valueOf(o).isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return String.valueOf(o);
    }

    private static int integer(String what, Object o) {
        if (o instanceof Integer i) {
            return i;
        }
        try {
            return Integer.parseInt(string(what, o).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + o + "' is not a number");
        }
    }

    /** A byte count: a number with an optional K, M, G suffix (powers of 1024). */
    static long size(String what, Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        String s = string(what, o).strip().toUpperCase(Locale.ROOT);
        long mul = 1;
        if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G")) {
            mul = switch (s.charAt(s.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long v = Long.parseLong(s) * mul;
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + o + "' is not a size (like 64M)");
        }
    }
}
