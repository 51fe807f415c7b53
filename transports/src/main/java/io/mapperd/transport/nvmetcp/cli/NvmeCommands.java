package io.mapperd.transport.nvmetcp.cli;

import io.mapperd.transport.nvmetcp.AnaGroup;
import io.mapperd.transport.nvmetcp.AnaLog;
import io.mapperd.transport.nvmetcp.DiscoveryEntry;
import io.mapperd.transport.nvmetcp.DiscoveryLog;
import io.mapperd.transport.nvmetcp.IdentifyController;
import io.mapperd.transport.nvmetcp.IdentifyNamespace;
import io.mapperd.transport.nvmetcp.LbaFormat;
import io.mapperd.transport.nvmetcp.NamespaceIds;
import io.mapperd.transport.nvmetcp.NvmeController;
import io.mapperd.transport.nvmetcp.NvmeOpcodes;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import io.mapperd.transport.nvmetcp.NvmeTcpUrl;
import io.mapperd.transport.nvmetcp.Wwid;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code mapperd nvme ...}: NVMe/TCP diagnostics in the manner of nvme-cli, over our host.
 * <pre>
 * nvme discover HOST[:PORT]                       discovery log entries (port 8009 by default)
 * nvme id-ctrl nvme+tcp://HOST[:PORT]/SUBNQN      Identify Controller
 * nvme id-ns nvme+tcp://HOST[:PORT]/SUBNQN/NSID   Identify Namespace, its identifiers and WWID
 * nvme ana-log nvme+tcp://HOST[:PORT]/SUBNQN      the ANA log page through that port
 * options: -q|--hostnqn NQN, -I|--hostid UUID, -t|--timeout SECONDS
 * </pre>
 */
public final class NvmeCommands {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private NvmeCommands() {
    }

    static final String USAGE_TEXT = """
            usage: nvme discover HOST[:PORT]
                   nvme id-ctrl nvme+tcp://HOST[:PORT]/SUBNQN
                   nvme id-ns nvme+tcp://HOST[:PORT]/SUBNQN/NSID
                   nvme ana-log nvme+tcp://HOST[:PORT]/SUBNQN
            options: -q|--hostnqn NQN  -I|--hostid UUID  -t|--timeout SECONDS""";

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        NvmeTcpOptions opts = NvmeTcpOptions.defaults().withIoQueues(0);
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-q", "--hostnqn" -> opts = new NvmeTcpOptions(value(args, ++i, a), opts.hostId(), 0, opts.queueSize(), opts.kato(),
                            opts.ioTimeout(), opts.adminTimeout(), opts.connectTimeout(), opts.reconnectDelay(), opts.ctrlLossTimeout(), false, false);
                    case "-I", "--hostid" -> opts = new NvmeTcpOptions(opts.hostNqn(), UUID.fromString(value(args, ++i, a)), 0, opts.queueSize(), opts.kato(),
                            opts.ioTimeout(), opts.adminTimeout(), opts.connectTimeout(), opts.reconnectDelay(), opts.ctrlLossTimeout(), false, false);
                    case "-t", "--timeout" -> {
                        Duration d = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                        opts = opts.withTimeouts(d, d).withConnectTimeout(d);
                    }
                    case "-h", "--help" -> {
                        out.println(USAGE_TEXT);
                        return OK;
                    }
                    default -> words.add(a);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("nvme: " + e.getMessage());
            return USAGE;
        }
        if (words.size() != 2) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String verb = words.get(0);
        String target = words.get(1);
        try {
            return switch (verb) {
                case "discover" -> discover(target, opts, out);
                case "id-ctrl" -> idCtrl(url(target, false), opts, out);
                case "id-ns" -> idNs(url(target, true), opts, out);
                case "ana-log" -> anaLog(url(target, false), opts, out);
                default -> {
                    err.println("nvme: unknown command '" + verb + "'\n" + USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("nvme: " + e.getMessage());
            return USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("nvme " + verb + ": " + e.getMessage());
            return FAILED;
        }
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args[i];
    }

    private static NvmeTcpUrl url(String s, boolean needNsid) {
        NvmeTcpUrl u = NvmeTcpUrl.parse(s);
        if (needNsid && u.nsid() == 0) {
            throw new IllegalArgumentException("'" + s + "' names no namespace (add /NSID)");
        }
        return u;
    }

    static int discover(String hostPort, NvmeTcpOptions opts, PrintStream out) throws IOException {
        InetSocketAddress addr = NvmeTcpUrl.address(hostPort, NvmeOpcodes.DISCOVERY_PORT);
        DiscoveryLog log;
        try (NvmeController d = NvmeController.connectDiscovery(addr, opts)) {
            log = d.discoveryLog();
        }
        out.printf("%nDiscovery Log Number of Records %d, Generation counter %d%n", log.numRecords(), log.generation());
        int i = 0;
        for (DiscoveryEntry e : log.entries()) {
            out.printf("=====Discovery Log Entry %d======%n", i++);
            out.printf("trtype:  %s%n", e.trtypeName());
            out.printf("adrfam:  %s%n", e.adrfamName());
            out.printf("subtype: %s%n", e.subtypeName());
            out.printf("treq:    %s%n", e.treqName());
            out.printf("portid:  %d%n", e.portId());
            out.printf("trsvcid: %s%n", e.trsvcid());
            out.printf("subnqn:  %s%n", e.subnqn());
            out.printf("traddr:  %s%n", e.traddr());
            out.printf("eflags:  %s%n", e.eflags() == 0 ? "none" : String.format("0x%x", e.eflags()));
            out.printf("sectype: %s%n", e.sectypeName());
        }
        return OK;
    }

    static int idCtrl(NvmeTcpUrl u, NvmeTcpOptions opts, PrintStream out) throws IOException {
        IdentifyController id;
        try (NvmeController c = NvmeController.connect(u.address(), u.subnqn(), opts)) {
            id = c.identify();
        }
        out.println("NVME Identify Controller:");
        row(out, "vid", hex(id.vid()));
        row(out, "ssvid", hex(id.ssvid()));
        row(out, "sn", id.serial());
        row(out, "mn", id.model());
        row(out, "fr", id.firmware());
        row(out, "ieee", String.format("%06x", id.ieee()));
        row(out, "cmic", hex(id.cmic()));
        row(out, "mdts", Integer.toString(id.mdts()));
        row(out, "cntlid", hex(id.cntlid()));
        row(out, "ver", hex(id.ver()));
        row(out, "oaes", hex(id.oaes()));
        row(out, "ctratt", hex(id.ctratt()));
        row(out, "oacs", hex(id.oacs()));
        row(out, "aerl", Integer.toString(id.aerl()));
        row(out, "lpa", hex(id.lpa()));
        row(out, "kas", Integer.toString(id.kas()));
        row(out, "anatt", Integer.toString(id.anatt()));
        row(out, "anacap", Integer.toString(id.anacap()));
        row(out, "anagrpmax", Integer.toString(id.anagrpmax()));
        row(out, "nanagrpid", Integer.toString(id.nanagrpid()));
        row(out, "sqes", hex(id.sqes()));
        row(out, "cqes", hex(id.cqes()));
        row(out, "maxcmd", Integer.toString(id.maxcmd()));
        row(out, "nn", Integer.toString(id.nn()));
        row(out, "oncs", hex(id.oncs()));
        row(out, "vwc", hex(id.vwc()));
        row(out, "sgls", hex(id.sgls()));
        row(out, "subnqn", id.subnqn());
        row(out, "ioccsz", Integer.toString(id.ioccsz()));
        row(out, "iorcsz", Integer.toString(id.iorcsz()));
        row(out, "icdoff", Integer.toString(id.icdoff()));
        row(out, "msdbd", Integer.toString(id.msdbd()));
        return OK;
    }

    static int idNs(NvmeTcpUrl u, NvmeTcpOptions opts, PrintStream out) throws IOException {
        IdentifyNamespace ns;
        NamespaceIds ids;
        String wwid;
        try (NvmeController c = NvmeController.connect(u.address(), u.subnqn(), opts)) {
            ns = c.identifyNamespace(u.nsid());
            if (ns.inactive()) {
                throw new IOException("namespace " + u.nsid() + " is not active on " + u.subnqn());
            }
            ids = c.namespaceIds(u.nsid(), ns);
            wwid = Wwid.of(c.identify(), u.nsid(), ids);
        }
        out.printf("NVME Identify Namespace %d:%n", u.nsid());
        row(out, "nsze", hex(ns.nsze()));
        row(out, "ncap", hex(ns.ncap()));
        row(out, "nuse", hex(ns.nuse()));
        row(out, "nsfeat", hex(ns.nsfeat()));
        row(out, "nlbaf", Integer.toString(ns.lbaFormats().size() - 1));
        row(out, "flbas", hex(ns.flbas()));
        row(out, "dps", hex(ns.dps()));
        row(out, "nmic", hex(ns.nmic()));
        row(out, "anagrpid", Integer.toString(ns.anagrpid()));
        row(out, "nsattr", Integer.toString(ns.nsattr()));
        row(out, "nguid", ids.nguid().isEmpty() ? "00000000000000000000000000000000" : ids.nguid());
        row(out, "eui64", ids.eui64().isEmpty() ? "0000000000000000" : ids.eui64());
        row(out, "uuid", ids.uuid() == null ? "none" : ids.uuid().toString());
        row(out, "wwid", wwid);
        int i = 0;
        for (LbaFormat f : ns.lbaFormats()) {
            out.printf("lbaf %2d : ms:%-3d lbads:%-2d rp:%d%s%n", i, f.metadataSize(), f.lbaDataShift(), f.relativePerformance(),
                    ns.lbaFormat() == f && (ns.flbas() & 0xF) == i ? " (in use)" : "");
            i++;
        }
        return OK;
    }

    static int anaLog(NvmeTcpUrl u, NvmeTcpOptions opts, PrintStream out) throws IOException {
        AnaLog log;
        try (NvmeController c = NvmeController.connect(u.address(), u.subnqn(), opts)) {
            if (!c.identify().anaReporting()) {
                throw new IOException(u.subnqn() + " does not report ANA (CMIC bit 3 clear)");
            }
            log = c.readAnaLog();
        }
        out.printf("Asymmetric Namespace Access Log for %s%n", u);
        out.println("ANA LOG HEADER :-");
        out.printf("chgcnt\t:\t%d%n", log.changeCount());
        out.printf("ngrps\t:\t%d%n", log.groups().size());
        out.println("ANA Log Desc :-");
        for (AnaGroup g : log.groups()) {
            out.printf("grpid\t:\t%d%n", g.groupId());
            out.printf("nnsids\t:\t%d%n", g.nsids().size());
            out.printf("chgcnt\t:\t%d%n", g.changeCount());
            out.printf("state\t:\t%s%n", g.state());
            for (int nsid : g.nsids()) {
                out.printf("\tnsid\t:\t%d%n", nsid);
            }
        }
        return OK;
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("%-9s : %s%n", name, value);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
