package io.mapperd.hwhandlers;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.ScsiResult;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a hardware handler needs of a path: a way to send one SCSI command and get status, sense and
 * data back (the kernel's scsi_execute_cmd). An iSCSI LUN is one; a block device may also offer it
 * itself by implementing this interface. Devices with neither are not SCSI devices, and the
 * handlers treat them as the kernel treats a queue without a scsi_device.
 */
public interface ScsiPath {
    String name();

    /** Sends {@code cdb}; data-in goes to {@code in}, data-out comes from {@code out} (either may be null). */
    CompletableFuture<ScsiResult> execute(byte[] cdb, ByteBuffer in, ByteBuffer out);

    static Optional<ScsiPath> of(BlockDevice d) {
        if (d instanceof ScsiPath s) {
            return Optional.of(s);
        }
        if (d instanceof IscsiLun lun) {
            return Optional.of(new ScsiPath() {
                @Override
                public String name() {
                    return lun.name();
                }

                @Override
                public CompletableFuture<ScsiResult> execute(byte[] cdb, ByteBuffer in, ByteBuffer out) {
                    return lun.command(cdb, in, out);
                }
            });
        }
        return Optional.empty();
    }
}
