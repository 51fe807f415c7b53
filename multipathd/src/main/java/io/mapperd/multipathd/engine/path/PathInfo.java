package io.mapperd.multipathd.engine.path;

import io.mapperd.conf.PathIdentity;
import io.mapperd.dm.io.DevT;

import java.util.Map;

/**
 * What discovery learned about one path: its names, identity and place in the SAN. Immutable.
 *
 * @param key         stable identity across scans ("iscsi:127.0.0.1:3260/IQN/1", "sysfs:sdb")
 * @param dev         kernel-style name (sdb, nvme0n1)
 * @param devT        device number the table names it by
 * @param hcil        host:channel:id:lun, or controller:0:cntlid:nsid for NVMe
 * @param wwid        the WWID, empty when none could be derived
 * @param vendor      SCSI vendor or "NVME"
 * @param product     SCSI product or NVMe model
 * @param revision    SCSI revision or NVMe firmware
 * @param serial      unit serial number
 * @param protocol    "scsi:iscsi", "nvme:tcp", "scsi:unspec"...
 * @param hostWwnn    FC HBA node name, initiator IQN / host NQN, "[undef]" when unknown
 * @param hostWwpn    FC HBA port name, "[undef]" for other transports
 * @param targetWwnn  tgt_node_name: FC remote port node name, target IQN / subsystem NQN
 * @param targetWwpn  FC remote port name, target port (portal address)
 * @param hostAdapter host adapter name
 * @param tpg         ALUA target port group or ANA group id, -1 when none
 * @param sizeSectors size in 512-byte sectors
 * @param properties  udev-style properties (ID_WWN, SCSI_IDENT_..., ID_SERIAL) for the blacklist
 */
public record PathInfo(String key, String dev, DevT devT, String hcil, String wwid, String vendor, String product,
                       String revision, String serial, String protocol, String hostWwnn, String hostWwpn,
                       String targetWwnn, String targetWwpn, String hostAdapter, int tpg, long sizeSectors,
                       Map<String, String> properties) {
    public PathInfo {
        properties = Map.copyOf(properties);
        wwid = wwid == null ? "" : wwid;
    }

    /** A path without a host port name (every transport but Fibre Channel). */
    public PathInfo(String key, String dev, DevT devT, String hcil, String wwid, String vendor, String product,
                    String revision, String serial, String protocol, String hostWwnn, String targetWwnn,
                    String targetWwpn, String hostAdapter, int tpg, long sizeSectors, Map<String, String> properties) {
        this(key, dev, devT, hcil, wwid, vendor, product, revision, serial, protocol, hostWwnn, "[undef]", targetWwnn,
                targetWwpn, hostAdapter, tpg, sizeSectors, properties);
    }

    /** What the configuration needs to resolve settings and the blacklist for this path. */
    public PathIdentity identity() {
        return new PathIdentity(dev, vendor, product, revision, wwid.isEmpty() ? null : wwid, protocol, properties);
    }
}
