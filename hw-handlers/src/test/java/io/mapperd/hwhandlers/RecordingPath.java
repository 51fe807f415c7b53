package io.mapperd.hwhandlers;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.mapperd.transport.iscsi.scsi.SenseKey;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A path over a real target-sim LUN that records every SCSI command a handler sends (CDB and
 * data-out, in hex) and can answer some of them itself, as an array target-sim does not emulate
 * would (vendor VPD pages, ownership sense). Unanswered commands go over iSCSI to target-sim.
 */
final class RecordingPath implements BlockDevice, ScsiPath {
    /** A scripted answer: GOOD with data-in, or CHECK CONDITION with sense. */
    record Reply(int status, Sense sense, byte[] data) {
        static Reply good(byte[] data) {
            return new Reply(ScsiStatus.GOOD, null, data);
        }

        static Reply good() {
            return good(null);
        }

        static Reply check(SenseKey key, int asc, int ascq) {
            return new Reply(ScsiStatus.CHECK_CONDITION, Sense.of(key, asc, ascq), null);
        }
    }

    private final IscsiLun lun;
    volatile Function<byte[], Reply> script = c -> null;
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    RecordingPath(IscsiLun lun) {
        this.lun = lun;
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @Override
    public CompletableFuture<ScsiResult> execute(byte[] cdb, ByteBuffer in, ByteBuffer out) {
        String rec = hex(cdb);
        if (out != null) {
            byte[] d = new byte[out.remaining()];
            out.duplicate().get(d);
            rec += " | " + hex(d);
        }
        sent.add(rec);
        Reply r = script.apply(cdb);
        if (r == null) {
            return lun.command(cdb, in, out);
        }
        ByteBuffer data = null;
        if (r.data() != null && in != null) {
            ByteBuffer view = in.duplicate();
            view.put(r.data(), 0, Math.min(r.data().length, view.remaining()));
            data = view.flip();
        }
        return CompletableFuture.completedFuture(new ScsiResult(Cdb.name(cdb), r.status(), r.sense(), 0, data));
    }

    List<String> takeSent() {
        synchronized (sent) {
            List<String> s = List.copyOf(sent);
            sent.clear();
            return s;
        }
    }

    @Override
    public String name() {
        return "rec:" + lun.name();
    }

    @Override
    public DevT devT() {
        return lun.devT();
    }

    @Override
    public long sizeSectors() {
        return lun.sizeSectors();
    }

    @Override
    public CompletableFuture<Void> submit(Bio bio) {
        return lun.submit(bio);
    }
}
