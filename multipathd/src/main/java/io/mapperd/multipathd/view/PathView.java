package io.mapperd.multipathd.view;

/**
 * What the daemon knows of one path at one moment, as multipath-tools' struct path exposes it to
 * its `show paths` wildcards and `multipath -ll`. Immutable snapshot: the policy engine produces
 * these; the command language and metrics only read them.
 *
 * @param dev           kernel-style device name (sdb, nvme0n1) or our name for a transport path
 * @param devT          MAJOR:MINOR
 * @param hcil          host:channel:id:lun (SCSI) or X:cntlid:Y:nsid for nvmeXnY (NVMe), as multipath-tools shows it
 * @param wwid          the WWID the path is grouped by
 * @param vendor        SCSI vendor (or "NVME")
 * @param product       SCSI product / NVMe model
 * @param revision      SCSI revision / NVMe firmware
 * @param serial        unit serial number
 * @param protocol      "scsi:iscsi", "nvme:tcp", "scsi:unspec"...
 * @param dmState       "active" or "failed" (the path's state in the multipath table), "undef" when not in a map
 * @param devState      "running" or "offline" (transport state)
 * @param checkerState  "ready", "faulty", "ghost", "shaky", "pending", "delayed", "undef", "i/o pending"...
 * @param checker       checker name (tur, directio, ...)
 * @param nextCheckSecs seconds until the next check
 * @param checkIntervalSecs current polling interval
 * @param priority      current priority (-1 undef)
 * @param sizeSectors   size in 512-byte sectors
 * @param map           alias/name of the map holding the path, or "[orphan]"
 * @param marginal      "marginal" or "normal"
 * @param failures      failure count
 * @param hostWwnn      host node name (iSCSI initiator IQN / NVMe host NQN)
 * @param targetWwnn    target node name (iSCSI target IQN / NVMe subsystem NQN)
 * @param hostWwpn      host port name
 * @param targetWwpn    target port name (portal address)
 * @param hostAdapter   host adapter (portal) name
 * @param tpg           target port group (ALUA) or ANA group id, -1 when none
 * @param initState     "new", "failed", "missing", "ok", "unknown", "partial", "removed"
 */
public record PathView(
        String dev,
        String devT,
        String hcil,
        String wwid,
        String vendor,
        String product,
        String revision,
        String serial,
        String protocol,
        String dmState,
        String devState,
        String checkerState,
        String checker,
        int nextCheckSecs,
        int checkIntervalSecs,
        int priority,
        long sizeSectors,
        String map,
        String marginal,
        long failures,
        String hostWwnn,
        String targetWwnn,
        String hostWwpn,
        String targetWwpn,
        String hostAdapter,
        int tpg,
        String initState) {
}
