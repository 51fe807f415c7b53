package io.mapperd.checkers;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.transport.iscsi.IscsiLun;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A path as the daemon hands it to checkers and prioritizers: the block device I/O goes to, the
 * transport's probe when there is one, and the identity strings multipath-tools shows for a path.
 * The daemon implements it for every path it discovers; checkers and prioritizers only read it.
 * <ul>
 * <li>{@link #device()}: where directio, readsector0 (without SCSI) and path_latency send reads.</li>
 * <li>{@link #scsi()}: the iSCSI logical unit behind the path, when the path is one; tur and alua
 *     send SCSI commands through it. An NVMe probe will join it when the NVMe/TCP host exists.</li>
 * <li>{@link #devName()}, {@link #hcil()}, {@link #serial()}, {@link #wwid()},
 *     {@link #targetNodeName()}: what weightedpath matches against (multipath-tools' pp->dev,
 *     host:channel:id:lun, pp->serial, pp->wwid, pp->tgt_node_name).</li>
 * <li>{@link #sysfsDir()}: the SCSI device's sysfs directory (the one holding access_state and
 *     preferred_path), for the sysfs prioritizer.</li>
 * </ul>
 */
public interface CheckedPath {
    BlockDevice device();

    /** The SCSI transport's probe (an iSCSI LUN), if the path has one. */
    default Optional<IscsiLun> scsi() {
        return device() instanceof IscsiLun l ? Optional.of(l) : Optional.empty();
    }

    /** The kernel-style device name (sdb, nvme0n1, or the URL for network paths). */
    default String devName() {
        return device().name();
    }

    /** host:channel:id:lun, as multipath-tools prints hcil ("[undef]" when not SCSI). */
    default String hcil() {
        return "[undef]";
    }

    default String serial() {
        return "";
    }

    default String wwid() {
        return "";
    }

    /** The target's node name (an iSCSI target IQN, an FC WWNN), "[undef]" if none. */
    default String targetNodeName() {
        return "[undef]";
    }

    /** The SCSI device directory in sysfs, if the path has one. */
    default Optional<Path> sysfsDir() {
        return Optional.empty();
    }

    /** A path over a device with nothing but its name known. */
    static CheckedPath of(BlockDevice device) {
        return () -> device;
    }
}
