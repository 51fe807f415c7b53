package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.MappedDevice;

/** The transmission flags a mapped device is exported with: they follow its live table. */
final class ExportFlags {
    private ExportFlags() {
    }

    static int of(MappedDevice md, boolean structured) {
        int f = NbdProtocol.TF_HAS_FLAGS | NbdProtocol.TF_SEND_CACHE
                // Every connection reaches the same device and a flush flushes the device as a whole
                // (no per-connection cache), which is what multi-conn asks for.
                | NbdProtocol.TF_CAN_MULTI_CONN;
        if (structured) {
            f |= NbdProtocol.TF_SEND_DF;
        }
        if (md.readOnly()) {
            return f | NbdProtocol.TF_READ_ONLY;
        }
        if (md.supportsFlush()) {
            f |= NbdProtocol.TF_SEND_FLUSH | NbdProtocol.TF_SEND_FUA;
        }
        if (md.supportsDiscard()) {
            f |= NbdProtocol.TF_SEND_TRIM;
        }
        if (md.supportsWriteZeroes()) {
            f |= NbdProtocol.TF_SEND_WRITE_ZEROES | NbdProtocol.TF_SEND_FAST_ZERO;
        }
        return f;
    }
}
