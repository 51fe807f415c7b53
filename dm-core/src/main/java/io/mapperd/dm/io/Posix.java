package io.mapperd.dm.io;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls Java's channels lack: fallocate (punch holes), lseek (SEEK_DATA/SEEK_HOLE) and
 * positional I/O on native memory (pwrite, preadv/pwritev).
 */
public final class Posix {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    public static final int ENXIO = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final java.lang.foreign.StructLayout STATE = Linker.Option.captureStateLayout();
    private static final java.lang.invoke.VarHandle ERRNO_VH =
            STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = handle("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FALLOCATE = handle("fallocate",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle LSEEK = handle("lseek",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private static final MethodHandle PREADV = handle("preadv",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG));
    private static final MethodHandle PWRITEV = handle("pwritev",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG));
    private static final MethodHandle PWRITE = handle("pwrite",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG));
    /** Each thread's errno capture for {@link #pwrite}: one small segment per thread, no arena per call. */
    private static final ThreadLocal<MemorySegment> CALL_STATE = ThreadLocal.withInitial(() -> Arena.global().allocate(STATE));
    /** Linux's IOV_MAX: the most buffers one preadv/pwritev takes. */
    public static final int IOV_MAX = 1024;
    private static final int EINTR = 4;

    private Posix() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, ERRNO);
    }

    /** A libc call failed; errno says why. */
    public static final class ErrnoException extends java.io.IOException {
        private final int errno;

        ErrnoException(String call, int errno) {
            super(call + " failed: errno " + errno);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    public static int open(String path, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags);
            if (fd < 0) {
                throw new ErrnoException("open " + path, (int) ERRNO_VH.get(st, 0L));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) CLOSE.invokeExact(a.allocate(STATE), fd);
            assert rc == 0 || rc == -1;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void fallocate(int fd, int mode, long offset, long len) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int rc = (int) FALLOCATE.invokeExact(st, fd, mode, offset, len);
            if (rc != 0) {
                throw new ErrnoException("fallocate", (int) ERRNO_VH.get(st, 0L));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** lseek; returns -1 when errno is ENXIO (no data/hole at or after offset). */
    public static long lseek(int fd, long offset, int whence) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            long rc = (long) LSEEK.invokeExact(st, fd, offset, whence);
            if (rc < 0) {
                int errno = (int) ERRNO_VH.get(st, 0L);
                if (errno == ENXIO) {
                    return -1;
                }
                throw new ErrnoException("lseek", errno);
            }
            return rc;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * preadv: reads at {@code offset} into the remaining bytes of {@code bufs[from..]} (direct
     * buffers; at most {@link #IOV_MAX} of them are used), without moving their positions.
     * Returns the bytes read, 0 at end of file.
     */
    public static long preadv(int fd, java.nio.ByteBuffer[] bufs, int from, long offset) throws ErrnoException {
        return vectored(PREADV, "preadv", fd, bufs, from, offset);
    }

    /**
     * pwrite: writes the remaining bytes of direct buffer {@code b} at {@code offset}; returns how
     * many it wrote and does not move the buffer's position. Unlike a FileChannel's write, an
     * interrupt of the calling thread neither stops it nor closes the file.
     */
    public static long pwrite(int fd, java.nio.ByteBuffer b, long offset) throws ErrnoException {
        MemorySegment st = CALL_STATE.get();
        MemorySegment data = MemorySegment.ofBuffer(b);
        try {
            while (true) {
                long rc = (long) PWRITE.invokeExact(st, fd, data, data.byteSize(), offset);
                if (rc >= 0) {
                    return rc;
                }
                int errno = (int) ERRNO_VH.get(st, 0L);
                if (errno != EINTR) {
                    throw new ErrnoException("pwrite", errno);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** pwritev: writes the remaining bytes of {@code bufs[from..]} at {@code offset}, as {@link #preadv}. */
    public static long pwritev(int fd, java.nio.ByteBuffer[] bufs, int from, long offset) throws ErrnoException {
        return vectored(PWRITEV, "pwritev", fd, bufs, from, offset);
    }

    private static long vectored(MethodHandle call, String name, int fd, java.nio.ByteBuffer[] bufs, int from, long offset)
            throws ErrnoException {
        int n = Math.min(bufs.length - from, IOV_MAX);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            MemorySegment iov = a.allocate(16L * n, 8);
            for (int i = 0; i < n; i++) {
                java.nio.ByteBuffer b = bufs[from + i];
                iov.set(ValueLayout.JAVA_LONG, 16L * i, MemorySegment.ofBuffer(b).address());
                iov.set(ValueLayout.JAVA_LONG, 16L * i + 8, b.remaining());
            }
            while (true) {
                long rc = (long) call.invokeExact(st, fd, iov, n, offset);
                if (rc >= 0) {
                    return rc;
                }
                int errno = (int) ERRNO_VH.get(st, 0L);
                if (errno != EINTR) {
                    throw new ErrnoException(name, errno);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
