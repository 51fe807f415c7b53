package io.mapperd.transport.iscsi.cli;

import io.mapperd.dm.io.DevT;
import io.mapperd.transport.iscsi.ChapCredentials;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.IscsiUrl;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.BlockLimits;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import io.mapperd.transport.iscsi.scsi.LogicalBlockProvisioning;
import io.mapperd.transport.iscsi.scsi.ReadCapacity;
import io.mapperd.transport.iscsi.scsi.ScsiCommandException;
import io.mapperd.transport.iscsi.scsi.StandardInquiry;
import io.mapperd.transport.iscsi.scsi.Vpd;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code mapperd iscsi ls|inq|readcap ...}: the diagnostics libiscsi's iscsi-ls, iscsi-inq and
 * iscsi-readcapacity16 give, with our initiator. CHAP credentials come from the URL
 * (USER%PASSWORD@), from options, or from LIBISCSI_CHAP_* environment variables.
 */
public final class IscsiCommands {
    private IscsiCommands() {
    }

    /** For scripts that run the class directly; the launcher calls {@link #run}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> pos = new ArrayList<>();
        String user = null;
        String password = null;
        String targetUser = null;
        String targetPassword = null;
        String initiator = SessionConfig.DEFAULT_INITIATOR;
        Integer evpd = null;
        int bs = 4096;
        int depth = 32;
        double seconds = 10;
        double ramp = 2;
        boolean random = false;
        boolean write = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        usage(out);
                        return 0;
                    }
                    case "-u", "--user" -> user = value(args, ++i, a);
                    case "-p", "--password" -> password = value(args, ++i, a);
                    case "--target-user" -> targetUser = value(args, ++i, a);
                    case "--target-password" -> targetPassword = value(args, ++i, a);
                    case "-i", "--initiator-name" -> initiator = value(args, ++i, a);
                    case "-e", "--evpd" -> evpd = page(value(args, ++i, a));
                    case "-c" -> evpd = page(value(args, ++i, a));
                    case "-s", "--show-luns" -> { }
                    case "-r", "--random" -> random = true;
                    case "-w", "--write" -> write = true;
                    case "-b", "--bs" -> bs = (int) size(value(args, ++i, a));
                    case "-q", "--qd" -> depth = Integer.parseInt(value(args, ++i, a));
                    case "-t", "--seconds" -> seconds = Double.parseDouble(value(args, ++i, a));
                    case "--ramp" -> ramp = Double.parseDouble(value(args, ++i, a));
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        pos.add(a);
                    }
                }
            }
            if (pos.size() != 2) {
                usage(err);
                return 2;
            }
            IscsiUrl url = IscsiUrl.parse(pos.get(1));
            ChapCredentials chap = ChapCredentials.fromEnv(env);
            String u = url.user() != null ? url.user() : user != null ? user : chap.user();
            String p = url.password() != null ? url.password() : password != null ? password : chap.secret();
            String tu = targetUser != null ? targetUser : chap.targetUser();
            String tp = targetPassword != null ? targetPassword : chap.targetSecret();
            SessionConfig cfg = SessionConfig.defaults().withInitiatorName(initiator).withReconnect(false)
                    .withChap(u == null ? ChapCredentials.NONE : new ChapCredentials(u, p, tu, tp));
            return switch (pos.get(0)) {
                case "ls" -> ls(url, cfg, out);
                case "inq" -> inq(url, cfg, evpd, out);
                case "readcap" -> readcap(url, cfg, out);
                case "perf" -> perf(url, cfg, bs, depth, random, write, ramp, seconds, out);
                default -> {
                    err.println("iscsi: unknown command '" + pos.get(0) + "' (want ls, inq, readcap)");
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("iscsi: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            Throwable c = e;
            while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
                c = c.getCause();
            }
            err.println("iscsi: " + c.getMessage());
            return 1;
        }
    }

    private static void usage(PrintStream p) {
        p.println("usage: iscsi ls iscsi://HOST[:PORT]                       targets and LUNs (as iscsi-ls -s)");
        p.println("       iscsi inq iscsi://HOST[:PORT]/IQN/LUN [--evpd PAGE]  standard INQUIRY or a decoded VPD page");
        p.println("       iscsi readcap iscsi://HOST[:PORT]/IQN/LUN            READ CAPACITY(16)");
        p.println("       iscsi perf iscsi://HOST[:PORT]/IQN/LUN [--random] [--write] [--bs BYTES] [--qd N] [--seconds S] [--ramp S]");
        p.println("options: --user U --password P [--target-user U --target-password P] (or USER%PASSWORD@ in the URL,");
        p.println("         or LIBISCSI_CHAP_USERNAME/PASSWORD/TARGET_USERNAME/TARGET_PASSWORD), --initiator-name IQN");
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args[i];
    }

    private static int page(String s) {
        try {
            int v = s.startsWith("0x") || s.startsWith("0X") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
            if (v < 0 || v > 255) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("VPD page '" + s + "' is not a number 0-255 (decimal or 0x hex)");
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static IscsiLun open(IscsiUrl url, SessionConfig cfg) throws Exception {
        if (url.target() == null) {
            throw new IllegalArgumentException(url + " names no target and LUN (want iscsi://HOST[:PORT]/IQN/LUN)");
        }
        IscsiSession s = get(IscsiSession.login(url.host(), url.port(), url.target(), cfg));
        try {
            return get(IscsiLun.open(s, url.lun(), url.display(), new DevT(8, 0), true));
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    static int ls(IscsiUrl url, SessionConfig cfg, PrintStream out) throws Exception {
        for (IscsiSession.DiscoveredTarget t : get(IscsiSession.discover(url.host(), url.port(), cfg))) {
            List<String> portals = t.portals().isEmpty() ? List.of(url.portal()) : t.portals();
            for (String portal : portals) {
                out.println("Target:" + t.name() + " Portal:" + portal);
            }
            IscsiSession s;
            try {
                s = get(IscsiSession.login(url.host(), url.port(), t.name(), cfg));
            } catch (Exception e) {
                out.println("  (login failed: " + rootMessage(e) + ")");
                continue;
            }
            try {
                ByteBuffer in = ByteBuffer.allocate(8 + 8 * 256);
                List<Integer> luns = io.mapperd.transport.iscsi.scsi.ReportLuns.decode(get(s.execute(0,
                        io.mapperd.transport.iscsi.scsi.Cdb.reportLuns(in.capacity()), in, null)).dataOrThrow());
                for (int lun : luns) {
                    try {
                        IscsiLun l = get(IscsiLun.open(s, lun, url.display(), new DevT(8, 0), true));
                        out.printf("Lun:%-4d Type:%s (Size:%s)%n", lun, deviceType(l.standardInquiry().deviceType()),
                                human(l.capacity().bytes()));
                    } catch (Exception e) {
                        out.printf("Lun:%-4d (%s)%n", lun, rootMessage(e));
                    }
                }
            } finally {
                s.close();
            }
        }
        return 0;
    }

    static int inq(IscsiUrl url, SessionConfig cfg, Integer evpd, PrintStream out) throws Exception {
        IscsiLun l = open(url, cfg);
        try {
            if (evpd == null) {
                StandardInquiry q = get(l.inquiry());
                out.println("Peripheral Qualifier:" + (q.peripheralQualifier() == 0 ? "CONNECTED" : q.peripheralQualifier()));
                out.println("Peripheral Device Type:" + deviceType(q.deviceType()));
                out.println("Removable:" + (q.removable() ? 1 : 0));
                out.println("Version:" + q.version());
                out.println("Response Data Format:" + q.responseDataFormat());
                out.println("TPGS:" + q.tpgs() + " (" + switch (q.tpgs()) {
                    case 1 -> "implicit ALUA";
                    case 2 -> "explicit ALUA";
                    case 3 -> "implicit and explicit ALUA";
                    default -> "no ALUA";
                } + ")");
                out.println("Protect:" + (q.protect() ? 1 : 0));
                out.println("CmdQue:" + (q.cmdque() ? 1 : 0));
                out.println("Vendor:" + q.vendor());
                out.println("Product:" + q.product());
                out.println("Revision:" + q.revision());
                return 0;
            }
            switch (evpd) {
                case Vpd.SUPPORTED_PAGES -> {
                    out.println("Supported VPD pages:");
                    for (int p : get(l.supportedVpdPages())) {
                        out.printf("  0x%02x %s%n", p, pageName(p));
                    }
                }
                case Vpd.UNIT_SERIAL_NUMBER -> out.println("Unit Serial Number:" + get(l.unitSerialNumber()));
                case DeviceIdentification.PAGE -> {
                    DeviceIdentification id = get(l.deviceIdentification());
                    out.println("Device Identification (" + id.designators().size() + " designators):");
                    for (Designator d : id.designators()) {
                        out.printf("  %s, association %s%s: %s%n", d.typeName() + (d.type() == Designator.TYPE_NAA ? " " + d.naaType() : ""),
                                d.associationName(), d.piv() ? ", protocol " + protocol(d.protocolId()) : "", d.valueText());
                    }
                }
                case BlockLimits.PAGE -> {
                    BlockLimits b = BlockLimits.decode(get(l.vpd(BlockLimits.PAGE)));
                    out.println("Block Limits:");
                    out.println("  Maximum compare and write length:" + b.maxCompareAndWriteBlocks());
                    out.println("  Optimal transfer length granularity:" + b.optimalTransferGranularity());
                    out.println("  Maximum transfer length:" + b.maxTransferLength());
                    out.println("  Optimal transfer length:" + b.optimalTransferLength());
                    out.println("  Maximum unmap LBA count:" + b.maxUnmapLbaCount());
                    out.println("  Maximum unmap block descriptor count:" + b.maxUnmapDescriptors());
                    out.println("  Optimal unmap granularity:" + b.unmapGranularity());
                    out.println("  Maximum write same length:" + b.maxWriteSameLength());
                }
                case LogicalBlockProvisioning.PAGE -> {
                    LogicalBlockProvisioning p = LogicalBlockProvisioning.decode(get(l.vpd(LogicalBlockProvisioning.PAGE)));
                    out.println("Logical Block Provisioning:");
                    out.println("  LBPU:" + (p.lbpu() ? 1 : 0) + " LBPWS:" + (p.lbpws() ? 1 : 0) + " LBPWS10:" + (p.lbpws10() ? 1 : 0)
                            + " LBPRZ:" + (p.lbprz() ? 1 : 0));
                    out.println("  Provisioning type:" + switch (p.provisioningType()) {
                        case 1 -> "resource provisioned";
                        case 2 -> "thin provisioned";
                        default -> "full";
                    });
                }
                default -> {
                    ByteBuffer b = get(l.vpd(evpd));
                    out.printf("VPD page 0x%02x (%d bytes):%n", evpd, b.remaining());
                    byte[] raw = new byte[b.remaining()];
                    b.get(b.position(), raw);
                    for (int i = 0; i < raw.length; i += 16) {
                        out.printf("  %04x: %s%n", i, HexFormat.ofDelimiter(" ").formatHex(raw, i, Math.min(raw.length, i + 16)));
                    }
                }
            }
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ScsiCommandException sce) {
                throw new IllegalStateException(url.display() + ": " + sce.getMessage());
            }
            throw e;
        } finally {
            l.session().close();
        }
    }

    static int readcap(IscsiUrl url, SessionConfig cfg, PrintStream out) throws Exception {
        IscsiLun l = open(url, cfg);
        try {
            ReadCapacity c = get(l.readCapacity16());
            out.println("Returned Logical Block Address:" + c.lastLba());
            out.println("Logical Block Length:" + c.blockLength());
            out.println("Logical Blocks Per Physical Block Exponent:" + c.lbppbExponent());
            out.println("Protection:" + (c.protectionType() == 0 ? "none" : "type " + c.protectionType()));
            out.println("LBPME:" + (c.lbpme() ? 1 : 0) + " LBPRZ:" + (c.lbprz() ? 1 : 0));
            out.println("Lowest Aligned LBA:" + c.lowestAlignedLba());
            out.println("Total size:" + c.bytes() + " (" + human(c.bytes()) + ")");
            return 0;
        } finally {
            l.session().close();
        }
    }

    static int perf(IscsiUrl url, SessionConfig cfg, int bs, int depth, boolean random, boolean write, double ramp,
                    double seconds, PrintStream out) throws Exception {
        if (bs < 512 || bs % 512 != 0 || depth < 1 || seconds <= 0) {
            throw new IllegalArgumentException("perf wants --bs a multiple of 512, --qd of at least 1 and --seconds above 0");
        }
        if (url.target() == null) {
            throw new IllegalArgumentException(url + " names no target and LUN");
        }
        IscsiSession s = get(IscsiSession.login(url.host(), url.port(), url.target(), cfg));
        try {
            IscsiLun l = get(IscsiLun.open(s, url.lun(), url.display(), new DevT(8, 0), !write));
            Perf.Result r = Perf.run(l, bs, depth, random, write, ramp, seconds, out);
            out.printf("result %s %s bs=%d qd=%d iops=%.0f mibs=%.1f seconds=%.1f%n", random ? "random" : "sequential",
                    write ? "write" : "read", bs, depth, r.iops(), r.mibPerSecond(bs), r.seconds());
            return 0;
        } finally {
            s.close();
        }
    }

    static long size(String v) {
        String t = v.trim().toLowerCase();
        long mul = t.endsWith("k") ? 1024 : t.endsWith("m") ? 1 << 20 : 1;
        String digits = mul == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Long.parseLong(digits) * mul;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + v + "' is not a number with an optional k/m suffix");
        }
    }

    static String deviceType(int t) {
        return switch (t) {
            case 0x00 -> "DIRECT_ACCESS";
            case 0x01 -> "SEQUENTIAL_ACCESS";
            case 0x05 -> "MMC";
            case 0x0c -> "STORAGE_ARRAY_CONTROLLER";
            case 0x0d -> "ENCLOSURE_SERVICES";
            case 0x1f -> "UNKNOWN";
            default -> String.format("0x%02x", t);
        };
    }

    private static String pageName(int p) {
        return switch (p) {
            case 0x00 -> "Supported VPD Pages";
            case 0x80 -> "Unit Serial Number";
            case 0x83 -> "Device Identification";
            case 0x86 -> "Extended INQUIRY Data";
            case 0xb0 -> "Block Limits";
            case 0xb1 -> "Block Device Characteristics";
            case 0xb2 -> "Logical Block Provisioning";
            default -> "";
        };
    }

    private static String protocol(int id) {
        return id == 5 ? "iSCSI" : Integer.toString(id);
    }

    static String human(long bytes) {
        String[] units = {"", "k", "M", "G", "T", "P"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + "" : (v == Math.floor(v) ? String.format("%d%s", (long) v, units[u]) : String.format("%.1f%s", v, units[u]));
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
