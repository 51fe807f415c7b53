package io.mapperd.multipathd.engine.path;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transport of a SCSI disk found in sysfs, read as multipath-tools 0.9.4 reads it
 * (libmultipath/discovery.c: sysfs_get_tgt_nodename, sysfs_get_host_adapter_name, and print.c's
 * host/target WWN wildcards), in its order: SAS (the device's sas_address), USB, Fibre Channel
 * (the SCSI target's parent is an {@code rport-H:C-R} whose fc_remote_ports entry has a node_name),
 * iSCSI (a {@code sessionN} above the device), libata ({@code ataN} above it), else unspecified.
 *
 * @param protocol       "scsi:fcp", "scsi:iscsi", "scsi:sas", "scsi:usb", "scsi:ata" or "scsi:unspec"
 * @param targetNodeName tgt_node_name (the rport's node_name, the iSCSI target name, the SAS address...), "" if none
 * @param hostWwnn       FC: fc_host node_name; iSCSI: the session's initiator name; else "[undef]"
 * @param hostWwpn       FC: fc_host port_name; else "[undef]"
 * @param targetWwpn     FC: the rport's port_name; iSCSI: the connection's address:port; else "[undef]"
 * @param hostAdapter    FC/SAS: the PCI bridge above the HBA (the device driven by pcieport) or the ccw
 *                       device; iSCSI: the iscsi_host's ipaddress; else "[undef]"
 * @param rport          FC: the remote port's class directory (port_state, dev_loss_tmo, fast_io_fail_tmo)
 */
public record ScsiTransport(String protocol, String targetNodeName, String hostWwnn, String hostWwpn,
                            String targetWwpn, String hostAdapter, Optional<Path> rport) {
    private static final String UNDEF = "[undef]";
    private static final Pattern RPORT = Pattern.compile("rport-(\\d+):(\\d+)-(\\d+)");
    private static final Pattern END_DEVICE = Pattern.compile("end_device-\\d+:\\d+(:\\d+)?");

    /**
     * @param root     the sysfs root
     * @param sdev     the SCSI device's directory (resolved, .../targetH:C:T/H:C:T:L)
     * @param hostNo   the SCSI host number
     */
    static ScsiTransport of(Path root, Path sdev, int hostNo) {
        String host = "host" + hostNo;
        Optional<String> sas = attr(sdev, "sas_address");
        if (sas.isPresent()) {
            for (Path p = sdev.getParent(); p != null && p.getFileName() != null; p = p.getParent()) {
                if (END_DEVICE.matcher(p.getFileName().toString()).matches()) {
                    return new ScsiTransport("scsi:sas", sas.get(), UNDEF, UNDEF, UNDEF, busId(sdev, host), Optional.empty());
                }
            }
        }
        for (Path p = sdev.getParent(); p != null && p.getFileName() != null; p = p.getParent()) {
            if (linkName(p.resolve("subsystem")).equals("usb")) {
                return new ScsiTransport("scsi:usb", p.getFileName().toString(), UNDEF, UNDEF, UNDEF, UNDEF, Optional.empty());
            }
        }
        Path target = sdev.getParent();
        Path above = target == null ? null : target.getParent();
        Matcher m = above == null || above.getFileName() == null ? null : RPORT.matcher(above.getFileName().toString());
        if (m != null && m.matches()) {
            Path rport = root.resolve("class/fc_remote_ports").resolve(m.group());
            Optional<String> node = attr(rport, "node_name");
            if (node.isPresent()) {
                Path fcHost = root.resolve("class/fc_host").resolve(host);
                return new ScsiTransport("scsi:fcp", node.get(), attr(fcHost, "node_name").orElse("[unknown]"),
                        attr(fcHost, "port_name").orElse("[unknown]"), attr(rport, "port_name").orElse("[unknown]"),
                        busId(sdev, host), Optional.of(rport));
            }
        }
        String session = component(sdev, "session\\d+");
        if (session != null) {
            Path s = root.resolve("class/iscsi_session").resolve(session);
            Optional<String> name = attr(s, "targetname");
            if (name.isPresent()) {
                Path c = root.resolve("class/iscsi_connection").resolve("connection" + session.substring(7) + ":0");
                String portal = attr(c, "persistent_address").map(a -> a + ":" + attr(c, "persistent_port").orElse("3260"))
                        .orElse(UNDEF);
                return new ScsiTransport("scsi:iscsi", name.get(), attr(s, "initiatorname").orElse(UNDEF), UNDEF, portal,
                        attr(root.resolve("class/iscsi_host").resolve(host), "ipaddress").orElse(UNDEF), Optional.empty());
            }
        }
        String ata = component(sdev, "ata\\d+");
        if (ata != null) {
            return new ScsiTransport("scsi:ata", "ata-" + ata.substring(3) + ".00", UNDEF, UNDEF, UNDEF, UNDEF,
                    Optional.empty());
        }
        return new ScsiTransport("scsi:unspec", "", UNDEF, UNDEF, UNDEF, UNDEF, Optional.empty());
    }

    /** The PCI bridge (driver pcieport) or ccw device above SCSI host {@code host}, as sysfs_get_host_bus_id finds it. */
    private static String busId(Path sdev, String host) {
        Path hostDir = null;
        for (Path p = sdev; p != null && p.getFileName() != null; p = p.getParent()) {
            if (p.getFileName().toString().equals(host)) {
                hostDir = p;
                break;
            }
        }
        for (Path p = hostDir == null ? null : hostDir.getParent(); p != null && p.getFileName() != null; p = p.getParent()) {
            if (linkName(p.resolve("driver")).equals("pcieport") || linkName(p.resolve("subsystem")).equals("ccw")) {
                return p.getFileName().toString();
            }
        }
        return UNDEF;
    }

    private static String linkName(Path link) {
        try {
            return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String component(Path p, String regex) {
        for (Path c : p) {
            if (c.toString().matches(regex)) {
                return c.toString();
            }
        }
        return null;
    }

    private static Optional<String> attr(Path dir, String name) {
        return SysfsPathIo.read(dir.resolve(name));
    }
}
