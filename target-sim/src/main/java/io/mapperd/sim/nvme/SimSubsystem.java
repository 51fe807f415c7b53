package io.mapperd.sim.nvme;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** An NVM subsystem: its NQN, serial and model, its namespaces and the portals it is reachable on. */
public final class SimSubsystem {
    private final String nqn;
    private final String serial;
    private final String model;
    private final Set<Integer> portals;
    private final Map<Integer, SimNamespace> namespaces = new TreeMap<>();

    public SimSubsystem(String nqn, String serial, String model, Set<Integer> portals, List<SimNamespace> ns) {
        if (nqn.isEmpty() || nqn.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 223) {
            throw new IllegalArgumentException("subsystem NQN must be 1..223 bytes: '" + nqn + "'");
        }
        if (serial.length() > 20 || model.length() > 40) {
            throw new IllegalArgumentException("subsystem " + nqn + ": serial (20) or model (40) too long");
        }
        this.nqn = nqn;
        this.serial = serial;
        this.model = model;
        this.portals = Set.copyOf(portals);
        for (SimNamespace n : ns) {
            if (namespaces.put(n.nsid(), n) != null) {
                throw new IllegalArgumentException("subsystem " + nqn + ": namespace " + n.nsid() + " given twice");
            }
        }
    }

    public String nqn() {
        return nqn;
    }

    public String serial() {
        return serial;
    }

    public String model() {
        return model;
    }

    public Set<Integer> portals() {
        return portals;
    }

    public Map<Integer, SimNamespace> namespaces() {
        return namespaces;
    }
}
