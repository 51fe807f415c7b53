package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * dust: {@code <dev> <offset> <blksz>}, as dm-dust.c (1.0.0): a linear mapping with a list of bad
 * blocks that, once enabled, fail reads (a medium error, like a drive's unreadable sector). A write
 * to a bad block clears it, unless it was added with a write-fail count, which fails that many
 * writes first. Block numbers count blksz-sized blocks of the underlying device from its sector 0
 * (the offset is included, as in the kernel). Runtime control is by message: addbadblock N [count],
 * removebadblock N, queryblock N, clearbadblocks, countbadblocks, listbadblocks, enable, disable, quiet.
 */
public final class DustTarget implements Target {
    private static final Logger LOG = LoggerFactory.getLogger(DustTarget.class);
    private static final long MAX_BLKSZ_SECTORS = 2_097_152;

    public static final TargetType TYPE = new KernelTargetType("dust", 1, 0, 0, DustTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        if (argv.size() != 3) {
            throw new TargetException("Invalid argument count");
        }
        long blksz = KernelNumbers.nonZeroUint(argv.get(2), "Invalid block size parameter");
        if (blksz < 512) {
            throw new TargetException("Block size must be at least 512");
        }
        if (Long.bitCount(blksz) != 1) {
            throw new TargetException("Block size must be a power of 2");
        }
        if (blksz >> Bio.SECTOR_SHIFT > Math.min(ctx.length(), MAX_BLKSZ_SECTORS)) {
            throw new TargetException("Block size is too large");
        }
        long start = KernelNumbers.sector(argv.get(1), "Invalid device offset sector");
        DeviceRef dev = KernelDevices.getOrEinval(ctx, argv.get(0), start, ctx.length(), "Device lookup failed");
        return new DustTarget(dev, start, blksz, ctx.deviceName());
    }

    private final DeviceRef dev;
    private final long start;
    private final long blksz;
    private final long sectPerBlock;
    private final int shift;
    private final String mdName;
    /** Bad block number to remaining write failures; guarded by this. */
    private final Map<Long, Integer> badBlocks = new TreeMap<>();
    private volatile boolean failReadOnBadBlock;
    private volatile boolean quiet;

    private DustTarget(DeviceRef dev, long start, long blksz, String mdName) {
        this.dev = dev;
        this.start = start;
        this.blksz = blksz;
        this.sectPerBlock = blksz >> Bio.SECTOR_SHIFT;
        this.shift = Long.numberOfTrailingZeros(sectPerBlock);
        this.mdName = mdName;
    }

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        if (bio.op() == BioOp.FLUSH) {
            return dev.device().submit(bio);
        }
        long s = bio.sector();
        long first = Math.min(bio.sectors(), sectPerBlock - s % sectPerBlock);
        if (first == bio.sectors()) {
            return mapBlock(bio.at(start + s));
        }
        // The kernel's max_io_len is one block: every part checks its own block.
        int parts = (int) (1 + (bio.sectors() - first + sectPerBlock - 1) / sectPerBlock);
        CompletableFuture<?>[] fs = new CompletableFuture<?>[parts];
        long done = 0;
        for (int p = 0; p < parts; p++) {
            long at = s + done;
            long n = Math.min(bio.sectors() - done, sectPerBlock - at % sectPerBlock);
            fs[p] = mapBlock(bio.slice(done, n, start + at));
            done += n;
        }
        return CompletableFuture.allOf(fs);
    }

    /** One remapped part within one block (of the target's offset). */
    private CompletableFuture<Void> mapBlock(Bio remapped) {
        if (failReadOnBadBlock) {
            long block = remapped.sector() >>> shift;
            if (remapped.op() == BioOp.READ) {
                synchronized (this) {
                    if (badBlocks.containsKey(block)) {
                        return CompletableFuture.failedFuture(new BioException(BlkStatus.IOERR,
                                "dust: read of bad block " + block));
                    }
                }
            } else if (!writeAllowed(block)) {
                return CompletableFuture.failedFuture(new BioException(BlkStatus.IOERR,
                        "dust: write to bad block " + block + " failed"));
            }
        }
        return dev.device().submit(remapped);
    }

    /** A write fails while the block's write-fail count lasts; after that it clears the block. */
    private boolean writeAllowed(long block) {
        boolean removed;
        synchronized (this) {
            Integer left = badBlocks.get(block);
            if (left == null) {
                return true;
            }
            if (left > 0) {
                badBlocks.put(block, left - 1);
                return false;
            }
            badBlocks.remove(block);
            removed = true;
        }
        if (removed && !quiet) {
            LOG.info("{}: dust: block {} removed from badblocklist by write", mdName, block);
        }
        return true;
    }

    @Override
    public String message(List<String> argv) throws TargetException {
        long size = dev.device().sizeSectors();
        String cmd = argv.getFirst().toLowerCase(Locale.ROOT);
        switch (argv.size()) {
            case 1 -> {
                switch (cmd) {
                    case "addbadblock", "removebadblock", "queryblock" ->
                            throw new TargetException(argv.getFirst() + " requires an additional argument");
                    case "disable" -> {
                        LOG.info("{}: dust: disabling read failures on bad sectors", mdName);
                        failReadOnBadBlock = false;
                        return "";
                    }
                    case "enable" -> {
                        LOG.info("{}: dust: enabling read failures on bad sectors", mdName);
                        failReadOnBadBlock = true;
                        return "";
                    }
                    case "countbadblocks" -> {
                        synchronized (this) {
                            return "countbadblocks: " + badBlocks.size() + " badblock(s) found";
                        }
                    }
                    case "clearbadblocks" -> {
                        synchronized (this) {
                            boolean any = !badBlocks.isEmpty();
                            badBlocks.clear();
                            return any ? "dust_clear_badblocks: badblocks cleared" : "dust_clear_badblocks: no badblocks found";
                        }
                    }
                    case "quiet" -> {
                        quiet = !quiet;
                        return "";
                    }
                    case "listbadblocks" -> {
                        synchronized (this) {
                            if (badBlocks.isEmpty()) {
                                return "No blocks in badblocklist";
                            }
                            StringBuilder sb = new StringBuilder();
                            badBlocks.keySet().forEach(b -> sb.append(b).append('\n'));
                            return sb.toString();
                        }
                    }
                    default -> throw unrecognized(argv);
                }
            }
            case 2 -> {
                long block = KernelNumbers.sector(argv.get(1), "Invalid argument");
                checkRange(block, size);
                return switch (cmd) {
                    case "addbadblock" -> add(block, 0);
                    case "removebadblock" -> remove(block);
                    case "queryblock" -> {
                        synchronized (this) {
                            yield "dust_query_block: block " + block
                                    + (badBlocks.containsKey(block) ? " found" : " not found") + " in badblocklist";
                        }
                    }
                    default -> throw unrecognized(argv);
                };
            }
            case 3 -> {
                long block = KernelNumbers.sector(argv.get(1), "Invalid argument");
                long count = KernelNumbers.uint(argv.get(2), "Invalid argument");
                if (count > 255) {
                    throw new TargetException("selected write fail count out of range");
                }
                checkRange(block, size);
                if (!cmd.equals("addbadblock")) {
                    throw unrecognized(argv);
                }
                return add(block, (int) count);
            }
            default -> throw new TargetException("invalid number of arguments '" + argv.size() + "'");
        }
    }

    private void checkRange(long block, long deviceSectors) throws TargetException {
        // As the kernel: the device's size in blocks is itself accepted.
        if (block > deviceSectors / sectPerBlock) {
            throw new TargetException("selected block value out of range");
        }
    }

    private static TargetException unrecognized(List<String> argv) {
        return new TargetException("unrecognized message '" + argv.getFirst() + "' received");
    }

    private String add(long block, int writeFails) throws TargetException {
        synchronized (this) {
            if (badBlocks.containsKey(block)) {
                throw new TargetException("dust_add_block: block " + block + " already in badblocklist");
            }
            badBlocks.put(block, writeFails);
        }
        if (!quiet) {
            LOG.info("{}: dust: dust_add_block: badblock added at block {} with write fail count {}", mdName, block, writeFails);
        }
        return "";
    }

    private String remove(long block) throws TargetException {
        synchronized (this) {
            if (badBlocks.remove(block) == null) {
                throw new TargetException("dust_remove_block: block " + block + " not found in badblocklist");
            }
        }
        if (!quiet) {
            LOG.info("{}: dust: dust_remove_block: badblock removed at block {}", mdName, block);
        }
        return "";
    }

    @Override
    public String status(StatusType type) {
        if (type == StatusType.INFO) {
            return dev.devT() + " " + (failReadOnBadBlock ? "fail_read_on_bad_block" : "bypass") + " "
                    + (quiet ? "quiet" : "verbose");
        }
        return dev.devT() + " " + start + " " + blksz;
    }

    @Override
    public boolean supportsDiscard() {
        return dev.device().supportsDiscard();
    }
}
