package io.mapperd.transport.iscsi;

import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** One SCSI command in flight on a session; touched only on the session's event loop after creation. */
final class ScsiTask {
    final long lun;
    final byte[] cdb;
    final String name;
    /** Where Data-In goes (a duplicate of the caller's buffer), or null. */
    final ByteBuffer in;
    /** Data-Out, a view on the caller's buffer, or null. */
    final ByteBuf out;
    final int expectedLength;
    final CompletableFuture<ScsiResult> future = new CompletableFuture<>();
    int itt = -1;
    int cmdSn;
    long received;
    ScheduledFuture<?> timer;
    /** Fail at once with a transport error while the session reconnects, rather than wait for it. */
    boolean failfast;

    ScsiTask(long lun, byte[] cdb, String name, ByteBuffer in, ByteBuf out) {
        this.lun = lun;
        this.cdb = cdb;
        this.name = name;
        this.in = in;
        this.out = out;
        this.expectedLength = in != null ? in.remaining() : out != null ? out.readableBytes() : 0;
    }

    boolean done() {
        return future.isDone();
    }
}
