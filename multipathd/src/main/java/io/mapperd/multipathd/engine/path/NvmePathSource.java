package io.mapperd.multipathd.engine.path;

import io.mapperd.conf.MultipathConfig;
import io.mapperd.conf.NvmeDiscovery;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.ControllerState;
import io.mapperd.transport.nvmetcp.DiscoveryEntry;
import io.mapperd.transport.nvmetcp.NvmeController;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Paths from the NVMe/TCP discovery controllers of the configuration's mapperd_transports section,
 * as {@code nvme connect-all} with native NVMe multipath off: the discovery log of each, a
 * controller for every subsystem port it lists, and one path per controller and namespace, named
 * nvme{controller}n{nsid}, major 259. A discovery controller that cannot be reached keeps the
 * controllers it led to (they reconnect by themselves); a namespace no longer active goes away.
 */
public final class NvmePathSource implements PathSource {
    private static final Logger LOG = LoggerFactory.getLogger(NvmePathSource.class);
    public static final int BLKEXT_MAJOR = 259;

    private record Key(String host, int port, String subnqn) {
        String address() {
            return host + ":" + port;
        }
    }

    private final class Ctrl {
        final NvmeController c;
        final int index;
        final String hostNqn;
        final Map<Integer, DiscoveredPath> namespaces = new LinkedHashMap<>();
        int holds;

        Ctrl(NvmeController c, int index, String hostNqn) {
            this.c = c;
            this.index = index;
            this.hostNqn = hostNqn;
        }

        void release() {
            synchronized (NvmePathSource.this) {
                if (--holds == 0 && !controllers.containsValue(this)) {
                    LOG.info("{}: no path uses it any more; disconnecting", c.name());
                    c.close();
                    ctrlNumbers.clear(index);
                }
            }
        }
    }

    private final Map<Key, Ctrl> controllers = new LinkedHashMap<>();
    private final BitSet ctrlNumbers = new BitSet();
    private final BitSet minors = new BitSet();

    @Override
    public String name() {
        return "nvme";
    }

    @Override
    public synchronized List<DiscoveredPath> scan(MultipathConfig config) {
        Set<Key> wanted = new LinkedHashSet<>();
        Map<Key, NvmeDiscovery> how = new LinkedHashMap<>();
        for (NvmeDiscovery d : config.nvmeDiscoveries()) {
            for (Key k : discover(d)) {
                wanted.add(k);
                how.putIfAbsent(k, d);
            }
        }
        for (Key k : List.copyOf(controllers.keySet())) {
            if (!wanted.contains(k) && config.nvmeDiscoveries().stream().noneMatch(d -> d.subsystemNqn() == null
                    || d.subsystemNqn().equals(k.subnqn()))) {
                Ctrl gone = controllers.remove(k);
                if (gone.holds == 0) {
                    gone.c.close();
                    ctrlNumbers.clear(gone.index);
                }
            }
        }
        for (Key k : wanted) {
            Ctrl c = controllers.get(k);
            if (c == null) {
                c = connect(k, how.get(k));
                if (c == null) {
                    continue;
                }
                controllers.put(k, c);
            }
            refresh(k, c);
        }
        List<DiscoveredPath> out = new ArrayList<>();
        controllers.values().forEach(c -> out.addAll(c.namespaces.values()));
        return out;
    }

    static NvmeTcpOptions options(NvmeDiscovery d) {
        NvmeTcpOptions o = NvmeTcpOptions.defaults();
        UUID id = d.hostId() != null ? UUID.fromString(d.hostId()) : o.hostId();
        String nqn = d.hostNqn() != null ? d.hostNqn() : o.hostNqn();
        return new NvmeTcpOptions(nqn, id, o.ioQueues(), o.queueSize(), o.kato(), o.ioTimeout(), o.adminTimeout(),
                o.connectTimeout(), o.reconnectDelay(), o.ctrlLossTimeout(), o.headerDigest(), o.dataDigest());
    }

    private List<Key> discover(NvmeDiscovery d) {
        List<Key> out = new ArrayList<>();
        if (!d.discovery()) {
            return List.of(new Key(d.host(), d.port(), d.subsystemNqn()));
        }
        try (NvmeController dc = NvmeController.connectDiscovery(new InetSocketAddress(d.host(), d.port()), options(d))) {
            for (DiscoveryEntry e : dc.discoveryLog().entries()) {
                if (e.subtype() != DiscoveryEntry.SUBTYPE_NVME || e.trtype() != DiscoveryEntry.TRTYPE_TCP) {
                    continue;
                }
                if (d.subsystemNqn() != null && !d.subsystemNqn().equals(e.subnqn())) {
                    continue;
                }
                out.add(new Key(e.traddr().strip(), Integer.parseInt(e.trsvcid().strip()), e.subnqn().strip()));
            }
        } catch (Exception e) {
            LOG.debug("NVMe discovery at {} failed: {}", d.address(), IscsiPathSource.rootMessage(e));
        }
        return out;
    }

    private Ctrl connect(Key k, NvmeDiscovery d) {
        NvmeTcpOptions o = options(d);
        try {
            NvmeController c = NvmeController.connect(new InetSocketAddress(k.host(), k.port()), k.subnqn(), o);
            int index = ctrlNumbers.nextClearBit(0);
            ctrlNumbers.set(index);
            LOG.info("nvme{}: connected to {} at {} (controller {})", index, k.subnqn(), k.address(), c.cntlid());
            return new Ctrl(c, index, o.hostNqn());
        } catch (Exception e) {
            LOG.debug("connect to {} at {} failed: {}", k.subnqn(), k.address(), IscsiPathSource.rootMessage(e));
            return null;
        }
    }

    private void refresh(Key k, Ctrl c) {
        if (c.c.state() != ControllerState.LIVE) {
            return;
        }
        List<Integer> active;
        try {
            active = c.c.activeNamespaces();
        } catch (Exception e) {
            LOG.debug("{}: active namespace list failed: {}", c.c.name(), IscsiPathSource.rootMessage(e));
            return;
        }
        for (Integer gone : List.copyOf(c.namespaces.keySet())) {
            if (!active.contains(gone)) {
                LOG.info("nvme{}n{}: namespace no longer active", c.index, gone);
                c.namespaces.remove(gone);
            }
        }
        for (int nsid : active) {
            if (!c.namespaces.containsKey(nsid)) {
                DiscoveredPath p = open(k, c, nsid);
                if (p != null) {
                    c.namespaces.put(nsid, p);
                }
            }
        }
    }

    private DiscoveredPath open(Key k, Ctrl c, int nsid) {
        int minor = minors.nextClearBit(0);
        minors.set(minor);
        String dev = "nvme" + c.index + "n" + nsid;
        DevT devT = new DevT(BLKEXT_MAJOR, minor);
        try {
            NvmeNamespace ns = c.c.namespace(nsid, devT);
            var id = c.c.identify();
            Map<String, String> props = new LinkedHashMap<>();
            props.put("ID_WWN", ns.wwid());
            PathInfo info = new PathInfo("nvme:" + k.address() + "/" + k.subnqn() + "/" + nsid, dev, devT,
                    // as multipath-tools: nvmeXnY gives host X and id Y, the controller id the channel, the nsid the LUN;
                    // model, firmware and serial as the kernel shows them (space padded)
                    c.index + ":" + c.c.cntlid() + ":" + nsid + ":" + nsid, ns.wwid(), "NVME", padded(id.model()),
                    padded(id.firmware()), padded(id.serial()), "nvme:tcp", c.hostNqn, k.subnqn(), k.address(),
                    "[undef]", ns.anaGroupId(), ns.sizeSectors(), props);
            c.holds++;
            LOG.info("{}: {} NVME {} wwid {} (namespace {} of {} at {}, ANA group {})", dev, devT, info.product(),
                    ns.wwid(), nsid, k.subnqn(), k.address(), ns.anaGroupId());
            return new DiscoveredPath(info, new NvmePathIo(ns, () -> {
                synchronized (NvmePathSource.this) {
                    minors.clear(minor);
                }
                c.release();
            }));
        } catch (Exception e) {
            minors.clear(minor);
            LOG.warn("{}: cannot open namespace {}: {}", dev, nsid, IscsiPathSource.rootMessage(e));
            return null;
        }
    }

    @Override
    public synchronized void close() {
        controllers.values().forEach(c -> c.c.close());
        controllers.clear();
    }

    /** An identify string field with trailing NULs taken off and its space padding kept. */
    private static String padded(String field) {
        int n = field.length();
        while (n > 0 && field.charAt(n - 1) == 0) {
            n--;
        }
        return field.substring(0, n);
    }
}
