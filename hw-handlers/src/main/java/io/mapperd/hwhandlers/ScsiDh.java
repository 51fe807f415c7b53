package io.mapperd.hwhandlers;

import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.targets.multipath.PgInitResult;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.mapperd.transport.iscsi.scsi.SenseKey;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the handlers share, as the kernel's scsi_dh and scsi_lib helpers: scsi_get_vpd_page (asks
 * for the supported pages first, then the page, both with the caller's buffer length), attach
 * failures in dm-mpath's words, and waiting for attach-time commands.
 */
final class ScsiDh {
    /** Attach-time commands wait this long (the handlers' own 60 s command timeouts). */
    static final long ATTACH_TIMEOUT_SECONDS = 60;

    private ScsiDh() {
    }

    /** A VPD page could not be had (scsi_get_vpd_page returning -EINVAL). */
    static final class NoVpdPage extends RuntimeException {
        NoVpdPage(String message) {
            super(message, null, false, false);
        }
    }

    /** INQUIRY EVPD with page and allocation length, as scsi_vpd_inquiry builds it. */
    static byte[] vpdInquiry(int page, int length) {
        byte[] c = new byte[6];
        c[0] = (byte) Cdb.INQUIRY;
        c[1] = 1;
        c[2] = (byte) page;
        c[3] = (byte) (length >>> 8);
        c[4] = (byte) length;
        return c;
    }

    /**
     * scsi_get_vpd_page: VPD page 0x00 into a buffer of {@code length} bytes; if it lists the page
     * (or the list ran past the buffer), the page itself. Completes with the page's bytes, or fails
     * with {@link NoVpdPage} (and with the transport's exception if the command failed as a whole).
     */
    static CompletableFuture<ByteBuffer> vpdPage(ScsiPath p, int page, int length) {
        ByteBuffer list = ByteBuffer.allocate(length);
        return p.execute(vpdInquiry(0x00, length), list, null).thenCompose(r -> {
            ByteBuffer d = r.data();
            if (r.status() != ScsiStatus.GOOD || d == null || d.remaining() < 4 || (d.get(d.position() + 1) & 0xff) != 0) {
                throw new NoVpdPage(p.name() + ": no supported VPD pages list");
            }
            int avail = (d.getShort(d.position() + 2) & 0xffff) + 4;
            int have = Math.min(avail, d.remaining());
            boolean found = false;
            for (int i = 4; i < have; i++) {
                if ((d.get(d.position() + i) & 0xff) == page) {
                    found = true;
                    break;
                }
            }
            if (!found && !(have < avail && have >= length)) {
                throw new NoVpdPage(String.format("%s: VPD page 0x%02x not supported", p.name(), page));
            }
            ByteBuffer buf = ByteBuffer.allocate(length);
            return p.execute(vpdInquiry(page, length), buf, null).thenApply(pr -> {
                ByteBuffer pd = pr.data();
                if (pr.status() != ScsiStatus.GOOD || pd == null || pd.remaining() < 4 || (pd.get(pd.position() + 1) & 0xff) != page) {
                    throw new NoVpdPage(String.format("%s: VPD page 0x%02x: %s", p.name(), page, pr.describe()));
                }
                // a zero-filled buffer of the asked length with what came, as the kernel's buffer is
                ByteBuffer out = ByteBuffer.allocate(length);
                out.put(pd.duplicate()).clear();
                return out;
            });
        });
    }

    /** Whether a completion is CHECK CONDITION with this key (and asc/ascq when not negative). */
    static boolean sense(ScsiResult r, SenseKey key, int asc, int ascq) {
        Sense s = r.sense();
        return r.status() == ScsiStatus.CHECK_CONDITION && s != null && s.key() == key
                && (asc < 0 || s.asc() == asc) && (ascq < 0 || s.ascq() == ascq);
    }

    static boolean hasSense(ScsiResult r) {
        return r.status() == ScsiStatus.CHECK_CONDITION && r.sense() != null;
    }

    /** Waits for an attach-time step; any failure becomes the table's error. */
    static <T> T attachWait(CompletableFuture<T> f, String error) throws TargetException {
        try {
            return f.get(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException(error);
        } catch (ExecutionException | TimeoutException e) {
            throw new TargetException(error);
        }
    }

    /** dm-mpath's words when scsi_dh_attach fails. */
    static TargetException attachFailed() {
        return new TargetException("error attaching hardware handler");
    }

    /** dm-mpath's words when scsi_dh_set_params fails. */
    static TargetException paramsRefused() {
        return new TargetException("unable to set hardware handler parameters");
    }

    /** The completed future of a result. */
    static CompletableFuture<PgInitResult> done(PgInitResult r) {
        return CompletableFuture.completedFuture(r);
    }
}
