package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * flakey: {@code <dev> <offset> <up interval> <down interval> [<#feature args> [<arg>]*]}, as
 * dm-flakey.c (1.5.0, Linux 6.1). Intervals are in seconds from table load. While up, I/O passes
 * as with linear. While down, with no features every bio fails with EIO; features change that:
 * {@code drop_writes} (writes complete without reaching the device, reads pass),
 * {@code error_writes} (writes fail, reads pass),
 * {@code corrupt_bio_byte <Nth byte> <r|w> <value> <flags>} (the Nth byte, from 1, of matching reads
 * after they complete or of matching writes before they go down is replaced by value; flags is a
 * mask of the kernel's bi_opf bits the bio must all have, 0 for any).
 * <p>
 * Linux 6.1 has only those three (it refuses the others with "Unrecognised flakey feature requested",
 * reference fixture flakey/04, 06, 07). Three later features are accepted too, with the words and rules
 * of the kernels that added them (6.5, 6.6): {@code error_reads} (reads fail while down),
 * {@code random_read_corrupt <p>} and {@code random_write_corrupt <p>} (one random byte of a bio is
 * replaced with probability p / 1000000000). With them the feature count may be up to 11 (6.1: 6).
 * The TABLE line is printed in 6.1's form, trailing space included.
 */
public final class FlakeyTarget implements Target {
    private static final long PROBABILITY_BASE = 1_000_000_000L;
    private static final int MAX_FEATURE_ARGS = 11;

    // The kernel's bi_opf layout (Linux 6.1): operation in the low 8 bits, then flag bits.
    private static final long REQ_OP_READ = 0;
    private static final long REQ_OP_WRITE = 1;
    private static final long REQ_OP_FLUSH = 2;
    private static final long REQ_OP_DISCARD = 3;
    private static final long REQ_OP_WRITE_ZEROES = 9;
    private static final long REQ_SYNC = 1L << 11;
    private static final long REQ_FUA = 1L << 17;
    private static final long REQ_PREFLUSH = 1L << 18;
    private static final long REQ_NOUNMAP = 1L << 27;

    public static final TargetType TYPE = new KernelTargetType("flakey", 1, 5, 0, FlakeyTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        if (argv.size() < 4) {
            throw new TargetException("Invalid argument count");
        }
        TargetArgs as = new TargetArgs(argv);
        String devName = as.next("Invalid argument count");
        long start = KernelNumbers.sector(as.next("Invalid device sector"), "Invalid device sector");
        long up = as.nextUnsigned(0, KernelNumbers.UINT_MAX, "Invalid up interval");
        // Linux 6.1 checks the down interval against the up interval's rule, words included.
        long down = as.nextUnsigned(0, KernelNumbers.UINT_MAX, "Invalid up interval");
        long total = (up + down) & KernelNumbers.UINT_MAX;
        if (total == 0) {
            throw new TargetException("Total (up + down) interval is zero");
        }
        if (total < up) {
            throw new TargetException("Interval overflow");
        }
        Features f = Features.parse(as);
        DeviceRef dev = KernelDevices.get(ctx, devName, start, ctx.length(), "Device lookup failed");
        long born = System.nanoTime();
        return new FlakeyTarget(dev, start, up, down, f, () -> (System.nanoTime() - born) / 1_000_000_000L);
    }

    /** The parsed feature arguments. */
    private record Features(boolean errorReads, boolean dropWrites, boolean errorWrites, long corruptByte,
                            boolean corruptWrites, long corruptValue, long corruptFlags,
                            long randomReadCorrupt, long randomWriteCorrupt) {

        static Features parse(TargetArgs as) throws TargetException {
            boolean errorReads = false;
            boolean drop = false;
            boolean error = false;
            long byteNr = 0;
            boolean writes = false;
            long value = 0;
            long flags = 0;
            long rrc = 0;
            long rwc = 0;
            if (!as.hasNext()) {
                return new Features(false, false, false, 0, false, 0, 0, 0, 0);
            }
            long argc = as.nextGroupCount(0, MAX_FEATURE_ARGS, "Invalid number of feature args");
            while (argc != 0) {
                String name = as.peek();
                argc--;
                if (name == null) {
                    throw new TargetException("Insufficient feature arguments");
                }
                as.skip(1);
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "error_reads" -> {
                        if (errorReads) {
                            throw new TargetException("Feature error_reads duplicated");
                        }
                        errorReads = true;
                    }
                    case "drop_writes" -> {
                        if (drop) {
                            throw new TargetException("Feature drop_writes duplicated");
                        } else if (error) {
                            throw new TargetException("Feature drop_writes conflicts with feature error_writes");
                        }
                        drop = true;
                    }
                    case "error_writes" -> {
                        if (error) {
                            throw new TargetException("Feature error_writes duplicated");
                        } else if (drop) {
                            throw new TargetException("Feature error_writes conflicts with feature drop_writes");
                        }
                        error = true;
                    }
                    case "corrupt_bio_byte" -> {
                        if (argc == 0) {
                            throw new TargetException("Feature corrupt_bio_byte requires parameters");
                        }
                        byteNr = as.nextUnsigned(1, KernelNumbers.UINT_MAX, "Invalid corrupt bio byte");
                        argc--;
                        String dir = as.peek();
                        as.skip(1);
                        if ("w".equalsIgnoreCase(dir)) {
                            writes = true;
                        } else if ("r".equalsIgnoreCase(dir)) {
                            writes = false;
                        } else {
                            throw new TargetException("Invalid corrupt bio direction (r or w)");
                        }
                        argc--;
                        value = as.nextUnsigned(0, 255, "Invalid corrupt value to write into bio byte (0-255)");
                        argc--;
                        flags = as.nextUnsigned(0, KernelNumbers.UINT_MAX, "Invalid corrupt bio flags mask");
                        argc--;
                    }
                    case "random_read_corrupt" -> {
                        if (rrc != 0) {
                            throw new TargetException("Feature random_read_corrupt duplicated");
                        } else if (argc == 0) {
                            throw new TargetException("Feature random_read_corrupt requires a parameter");
                        }
                        rrc = as.nextUnsigned(0, PROBABILITY_BASE, "Invalid random corrupt argument");
                        argc--;
                    }
                    case "random_write_corrupt" -> {
                        if (rwc != 0) {
                            throw new TargetException("Feature random_write_corrupt duplicated");
                        } else if (argc == 0) {
                            throw new TargetException("Feature random_write_corrupt requires a parameter");
                        }
                        rwc = as.nextUnsigned(0, PROBABILITY_BASE, "Invalid random corrupt argument");
                        argc--;
                    }
                    default -> throw new TargetException("Unrecognised flakey feature requested");
                }
            }
            boolean fixedWrite = byteNr > 0 && writes;
            if (drop && rwc > 0) {
                throw new TargetException("drop_writes is incompatible with random_write_corrupt or corrupt_bio_byte with the WRITE flag set");
            } else if (error && rwc > 0) {
                throw new TargetException("error_writes is incompatible with random_write_corrupt or corrupt_bio_byte with the WRITE flag set");
            } else if (drop && fixedWrite) {
                throw new TargetException("drop_writes is incompatible with corrupt_bio_byte with the WRITE flag set");
            } else if (error && fixedWrite) {
                throw new TargetException("error_writes is incompatible with corrupt_bio_byte with the WRITE flag set");
            } else if (errorReads && ((byteNr > 0 && !writes) || rrc > 0)) {
                throw new TargetException("error_reads is incompatible with random_read_corrupt or corrupt_bio_byte with the READ flag set");
            }
            return new Features(errorReads, drop, error, byteNr, writes, value, flags, rrc, rwc);
        }

        boolean none() {
            return !errorReads && !dropWrites && !errorWrites && corruptByte == 0
                    && randomReadCorrupt == 0 && randomWriteCorrupt == 0;
        }

        int argCount() {
            return (errorReads ? 1 : 0) + (dropWrites ? 1 : 0) + (errorWrites ? 1 : 0) + (corruptByte > 0 ? 5 : 0)
                    + (randomReadCorrupt > 0 ? 2 : 0) + (randomWriteCorrupt > 0 ? 2 : 0);
        }
    }

    private final DeviceRef dev;
    private final long start;
    private final long up;
    private final long down;
    private final Features f;
    private final LongSupplier elapsedSeconds;

    private FlakeyTarget(DeviceRef dev, long start, long up, long down, Features f, LongSupplier elapsedSeconds) {
        this.dev = dev;
        this.start = start;
        this.up = up;
        this.down = down;
        this.f = f;
        this.elapsedSeconds = elapsedSeconds;
    }

    /** Whether the device is in a down interval now. */
    public boolean isDown() {
        long period = (up + down) & KernelNumbers.UINT_MAX;
        return elapsedSeconds.getAsLong() % period >= up;
    }

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        if (!isDown()) {
            return pass(bio);
        }
        if (bio.op() == BioOp.READ) {
            if (f.errorReads() || f.none()) {
                return failed();
            }
            return pass(bio).thenRun(() -> corruptRead(bio));
        }
        if (f.dropWrites()) {
            return CompletableFuture.completedFuture(null);
        }
        if (f.errorWrites() || f.none()) {
            return failed();
        }
        if (bio.op() == BioOp.WRITE) {
            boolean fixed = f.corruptByte() > 0 && f.corruptWrites() && flagsMatch(bio);
            boolean random = f.randomWriteCorrupt() > 0 && chance(f.randomWriteCorrupt());
            if (fixed || random) {
                return pass(corruptedCopy(bio, fixed, random));
            }
        }
        return pass(bio);
    }

    private CompletableFuture<Void> pass(Bio bio) {
        return dev.device().submit(bio.op() == BioOp.FLUSH ? bio : bio.at(start + bio.sector()));
    }

    private static CompletableFuture<Void> failed() {
        return CompletableFuture.failedFuture(new BioException(BlkStatus.IOERR, "flakey: device is down"));
    }

    private void corruptRead(Bio bio) {
        ByteBuffer b = bio.data();
        if (f.corruptByte() > 0 && !f.corruptWrites() && flagsMatch(bio)) {
            setByte(b, f.corruptByte() - 1, (byte) f.corruptValue());
        }
        if (f.randomReadCorrupt() > 0 && chance(f.randomReadCorrupt())) {
            randomByte(b);
        }
    }

    /** Writes are corrupted in a copy, as later kernels do: the caller's buffer stays as it was. */
    private Bio corruptedCopy(Bio bio, boolean fixed, boolean random) {
        ByteBuffer copy = ByteBuffer.allocateDirect((int) bio.bytes());
        copy.put(bio.data().duplicate()).flip();
        if (fixed) {
            setByte(copy, f.corruptByte() - 1, (byte) f.corruptValue());
        }
        if (random) {
            randomByte(copy);
        }
        return Bio.write(bio.sector(), copy, bio.flags());
    }

    private static void setByte(ByteBuffer b, long index, byte value) {
        if (index < b.remaining()) {
            b.put(b.position() + (int) index, value);
        }
    }

    private static void randomByte(ByteBuffer b) {
        if (b.remaining() > 0) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            b.put(b.position() + r.nextInt(b.remaining()), (byte) r.nextInt(256));
        }
    }

    private static boolean chance(long perBillion) {
        return ThreadLocalRandom.current().nextLong(PROBABILITY_BASE) < perBillion;
    }

    private boolean flagsMatch(Bio bio) {
        long mask = f.corruptFlags();
        return (opf(bio) & mask) == mask;
    }

    /** The bio as the kernel's bi_opf would describe it. */
    static long opf(Bio bio) {
        long op = switch (bio.op()) {
            case READ -> REQ_OP_READ;
            case WRITE -> REQ_OP_WRITE;
            case FLUSH -> REQ_OP_FLUSH;
            case DISCARD -> REQ_OP_DISCARD;
            case WRITE_ZEROES -> REQ_OP_WRITE_ZEROES;
        };
        if (bio.has(Bio.FUA)) {
            op |= REQ_FUA | REQ_SYNC;
        }
        if (bio.has(Bio.PREFLUSH)) {
            op |= REQ_PREFLUSH | REQ_SYNC;
        }
        if (bio.has(Bio.NOUNMAP)) {
            op |= REQ_NOUNMAP;
        }
        return op;
    }

    @Override
    public String status(StatusType type) {
        if (type == StatusType.INFO) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(dev.devT()).append(' ').append(start).append(' ').append(up).append(' ').append(down).append(' ');
        sb.append(f.argCount()).append(' ');
        if (f.errorReads()) {
            sb.append("error_reads ");
        }
        if (f.dropWrites()) {
            sb.append("drop_writes ");
        } else if (f.errorWrites()) {
            sb.append("error_writes ");
        }
        if (f.corruptByte() > 0) {
            sb.append("corrupt_bio_byte ").append(f.corruptByte()).append(' ').append(f.corruptWrites() ? 'w' : 'r')
                    .append(' ').append(f.corruptValue()).append(' ').append(f.corruptFlags()).append(' ');
        }
        if (f.randomReadCorrupt() > 0) {
            sb.append("random_read_corrupt ").append(f.randomReadCorrupt()).append(' ');
        }
        if (f.randomWriteCorrupt() > 0) {
            sb.append("random_write_corrupt ").append(f.randomWriteCorrupt()).append(' ');
        }
        return sb.toString();
    }

    @Override
    public boolean supportsDiscard() {
        return dev.device().supportsDiscard();
    }
}
