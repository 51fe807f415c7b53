package io.mapperd.dm.io;

/**
 * What runs when a bio is done, as the kernel's bi_end_io: called exactly once, with null on
 * success or the failure (a {@link BioException} naming the status, or anything
 * {@link BioException#statusOf} reads). It runs on whatever thread completed the bio (often an
 * I/O thread), so it must be short and must not block. This is the allocation-free alternative to
 * the future {@link BlockDevice#submit(Bio)} returns, for layers that pass bios down a stack.
 */
@FunctionalInterface
public interface BioCompletion {
    void bioDone(Throwable errorOrNull);
}
