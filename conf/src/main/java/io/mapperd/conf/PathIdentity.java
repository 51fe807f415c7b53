package io.mapperd.conf;

import java.util.Map;

/**
 * What the configuration needs to know about one path to decide what applies to it and whether
 * it is blacklisted. Any field may be null when unknown.
 *
 * @param devnode    kernel name, e.g. "sdb" or "nvme0n1"
 * @param vendor     SCSI inquiry vendor (or "NVME" for NVMe)
 * @param product    SCSI inquiry product (or the NVMe model)
 * @param revision   SCSI inquiry revision (or the NVMe firmware revision)
 * @param wwid       the path's WWID
 * @param protocol   bus protocol as multipath-tools names it: "scsi:iscsi", "nvme:tcp", ...
 * @param properties udev properties of the device, in udev's order
 */
public record PathIdentity(String devnode, String vendor, String product, String revision, String wwid,
                           String protocol, Map<String, String> properties) {

    public PathIdentity {
        properties = properties == null ? null : Map.copyOf(properties);
    }

    public static PathIdentity of(String devnode, String vendor, String product, String wwid) {
        return new PathIdentity(devnode, vendor, product, null, wwid, null, null);
    }
}
