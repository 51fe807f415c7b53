package io.mapperd.multipathd.engine;

import io.mapperd.dm.io.Bio;
import io.mapperd.multipathd.engine.path.PathIo;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * marginal_path_err_sample_time: reads of one block sent straight to a path, one at a time, for the
 * sample time (at most 100 a second, as multipathd's I/O error accounting), counting the errors.
 */
final class MarginalSampler {
    private static final long SPACING_MILLIS = 10;

    record Result(long ios, long errors) {
        long errorsPerThousand() {
            return ios == 0 ? 1000 : errors * 1000 / ios;
        }
    }

    private MarginalSampler() {
    }

    static CompletableFuture<Result> run(PathIo io, int seconds) {
        CompletableFuture<Result> done = new CompletableFuture<>();
        if (io.device().isEmpty()) {
            done.complete(new Result(0, 0));
            return done;
        }
        var dev = io.device().get();
        long end = Engine.now() + seconds * 1000L;
        AtomicLong ios = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Thread.ofVirtual().name("marginal-" + dev.name()).start(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(4096, dev.logicalBlockSize()));
            while (Engine.now() < end) {
                buf.clear();
                try {
                    dev.submit(Bio.read(0, buf)).get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                ios.incrementAndGet();
                try {
                    Thread.sleep(SPACING_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            done.complete(new Result(ios.get(), errors.get()));
        });
        return done;
    }
}
