package io.mapperd.multipathd.engine.path;

import io.mapperd.conf.MultipathConfig;
import io.mapperd.dm.io.DevT;
import io.mapperd.multipathd.engine.wwid.ScsiWwid;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Local disks from a sysfs tree laid out as the kernel lays it out: SCSI disks ({@code block/sdX}
 * linked into {@code devices/.../hostH/[sessionS/]targetH:C:T/H:C:T:L/block/sdX}, with the SCSI
 * device's vendor, model, rev, state, vpd_pg80, vpd_pg83 and access_state, and the transport as
 * {@link ScsiTransport} reads it: iSCSI sessions, Fibre Channel rports, SAS, libata), and NVMe namespaces
 * ({@code block/nvmeXnY}: per-controller namespaces when native NVMe multipath is off, a
 * subsystem's head device when it is on, which multipath-tools leaves to the kernel).
 */
public final class SysfsPathSource implements PathSource {
    private static final Logger LOG = LoggerFactory.getLogger(SysfsPathSource.class);
    private final Path root;
    private final Map<String, DiscoveredPath> known = new LinkedHashMap<>();

    public SysfsPathSource(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "sysfs";
    }

    @Override
    public synchronized List<DiscoveredPath> scan(MultipathConfig config) {
        Map<String, DiscoveredPath> now = new LinkedHashMap<>();
        Path block = root.resolve("block");
        if (!Files.isDirectory(block)) {
            return List.of();
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(block)) {
            // in the order of their devices' paths, as udev enumerates the block class for multipath-tools
            entries = s.sorted(java.util.Comparator.comparing(SysfsPathSource::devicePath)).toList();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", block, e.getMessage());
            return List.copyOf(known.values());
        }
        for (Path e : entries) {
            String dev = e.getFileName().toString();
            String key = "sysfs:" + dev;
            DiscoveredPath p = known.get(key);
            if (p == null) {
                try {
                    p = dev.matches("sd[a-z]+") ? scsi(e, dev) : dev.matches("nvme\\d+n\\d+") ? nvme(e, dev) : null;
                } catch (IOException | RuntimeException ex) {
                    LOG.warn("{}: cannot read its sysfs attributes: {}", dev, ex.getMessage());
                }
            }
            if (p != null) {
                now.put(key, p);
            }
        }
        known.clear();
        known.putAll(now);
        return List.copyOf(now.values());
    }

    private DiscoveredPath scsi(Path link, String dev) throws IOException {
        Path real = link.toRealPath();
        Path sdev = real.resolve("device").toRealPath();
        String hcil = sdev.getFileName().toString();
        DevT devT = DevT.parse(attr(real, "dev").orElseThrow(() -> new IOException("no dev attribute")));
        long size = Long.parseLong(attr(real, "size").orElse("0"));
        String vendor = attr(sdev, "vendor").orElse("");
        String model = attr(sdev, "model").orElse("");
        String rev = attr(sdev, "rev").orElse("");
        String serial = Optional.ofNullable(vpd(sdev, "vpd_pg80")).map(SysfsPathSource::serial).orElse("");
        byte[] pg83 = vpd(sdev, "vpd_pg83");
        String wwid = "";
        int tpg = -1;
        Map<String, String> props = new LinkedHashMap<>();
        if (pg83 != null) {
            DeviceIdentification id = DeviceIdentification.decode(ByteBuffer.wrap(pg83));
            wwid = ScsiWwid.derive(id.designators()).orElse("");
            tpg = id.find(Designator.TYPE_TARGET_PORT_GROUP).map(Designator::number).orElse(-1);
            id.wwid().filter(d -> d.type() == Designator.TYPE_NAA)
                    .ifPresent(d -> props.put("SCSI_IDENT_LUN_NAA_" + (d.naaType() == 6 ? "REGEXT" : d.naaType() == 5 ? "REG"
                            : d.naaType() == 3 ? "LOCAL" : "EXT"), HexFormat.of().formatHex(d.value())));
        }
        if (!wwid.isEmpty()) {
            props.put("ID_SERIAL", wwid);
            if (wwid.startsWith("3") || wwid.startsWith("2")) {
                props.put("ID_WWN", "0x" + wwid.substring(1, Math.min(17, wwid.length())));
            }
        }
        ScsiTransport t = ScsiTransport.of(root, sdev, Integer.parseInt(hcil.substring(0, hcil.indexOf(':'))));
        PathInfo info = new PathInfo("sysfs:" + dev, dev, devT, hcil, wwid, vendor, model, rev, serial, t.protocol(),
                t.hostWwnn(), t.hostWwpn(), t.targetNodeName().isEmpty() ? "[undef]" : t.targetNodeName(),
                t.targetWwpn(), t.hostAdapter(), tpg, size, props);
        return new DiscoveredPath(info, new SysfsPathIo(sdev, sdev.resolve("state"), devNode(dev), devT, false, t.rport()));
    }

    private DiscoveredPath nvme(Path link, String dev) throws IOException {
        Path real = link.toRealPath();
        DevT devT = DevT.parse(attr(real, "dev").orElseThrow(() -> new IOException("no dev attribute")));
        long size = Long.parseLong(attr(real, "size").orElse("0"));
        boolean head = real.toString().contains("/nvme-subsystem/");
        Path ctrl;
        if (head) {
            try (Stream<Path> s = Files.list(real.getParent())) {
                ctrl = s.filter(p -> p.getFileName().toString().matches("nvme\\d+")).sorted().findFirst()
                        .orElseThrow(() -> new IOException("subsystem " + real.getParent() + " lists no controller"))
                        .toRealPath();
            }
        } else {
            ctrl = real.resolve("device").toRealPath();
        }
        String wwid = attr(real, "wwid").orElse("");
        int nsid = Integer.parseInt(attr(real, "nsid").orElse("0"));
        int anaGroup = Integer.parseInt(attr(real, "ana_grpid").orElse("-1"));
        String transport = attr(ctrl, "transport").orElse("pcie");
        String address = attr(ctrl, "address").orElse("");
        String cntlid = attr(ctrl, "cntlid").orElse("0");
        String ctrlName = ctrl.getFileName().toString();
        Map<String, String> props = new LinkedHashMap<>();
        if (!wwid.isEmpty()) {
            props.put("ID_WWN", wwid);
        }
        if (head) {
            props.put("NVME_NATIVE_MULTIPATH", "1");
        }
        // as nvme_sysfs_pathinfo: host and id from the name nvmeXnY, channel the controller id, LUN the nsid
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("nvme(\\d+)n(\\d+)").matcher(dev);
        String hcil = name.matches() ? name.group(1) + ":" + cntlid + ":" + name.group(2) + ":" + nsid
                : ctrlName.substring(4) + ":" + cntlid + ":0:" + nsid;
        // model, serial and firmware as the kernel pads them: multipath-tools takes them as they are
        PathInfo info = new PathInfo("sysfs:" + dev, dev, devT, hcil, wwid, "NVME", raw(ctrl, "model"),
                raw(ctrl, "firmware_rev"), raw(ctrl, "serial"), "nvme:" + transport,
                attr(ctrl, "hostnqn").orElse("[undef]"), attr(ctrl, "subsysnqn").orElse("[undef]"),
                traddr(address), "[undef]", anaGroup, size, props);
        // A native multipath head is the kernel's business: no node is opened for it, so it is never mapped.
        return new DiscoveredPath(info, new SysfsPathIo(real, ctrl.resolve("state"), head ? null : devNode(dev), devT,
                true, Optional.empty()));
    }

    private static String traddr(String address) {
        String a = null;
        String p = null;
        for (String kv : address.split(",")) {
            if (kv.startsWith("traddr=")) {
                a = kv.substring(7);
            } else if (kv.startsWith("trsvcid=")) {
                p = kv.substring(8);
            }
        }
        return a == null ? "[undef]" : p == null ? a : a + ":" + p;
    }

    private Path devNode(String dev) {
        return root.toAbsolutePath().normalize().equals(Path.of("/sys")) ? Path.of("/dev", dev) : null;
    }

    /** An attribute with its trailing newline taken off and nothing else (libudev's sysattr value). */
    private static String raw(Path dir, String name) {
        try {
            String v = Files.readString(dir.resolve(name), java.nio.charset.StandardCharsets.UTF_8);
            return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<String> attr(Path dir, String name) {
        return SysfsPathIo.read(dir.resolve(name));
    }

    private static byte[] vpd(Path dir, String name) {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            return null;
        }
    }

    private static String devicePath(Path link) {
        try {
            return link.toRealPath().toString();
        } catch (IOException e) {
            return link.toString();
        }
    }

    private static String serial(byte[] pg80) {
        if (pg80.length < 4) {
            return "";
        }
        int len = Math.min(((pg80[2] & 0xff) << 8) | (pg80[3] & 0xff), pg80.length - 4);
        while (len > 0 && pg80[4 + len - 1] == 0) {
            len--;
        }
        return new String(pg80, 4, len, java.nio.charset.StandardCharsets.US_ASCII).strip();
    }

    @Override
    public synchronized void close() {
        known.clear();
    }
}
