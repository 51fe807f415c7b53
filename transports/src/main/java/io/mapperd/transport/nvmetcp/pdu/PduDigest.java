package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** The CRC32C digests of NVMe/TCP headers and data, sent little-endian. */
public final class PduDigest {
    private PduDigest() {
    }

    public static int crc32c(ByteBuf buf, int index, int length) {
        CRC32C c = new CRC32C();
        if (buf.nioBufferCount() == 1) {
            c.update(buf.nioBuffer(index, length));
        } else {
            for (ByteBuffer b : buf.nioBuffers(index, length)) {
                c.update(b);
            }
        }
        return (int) c.getValue();
    }
}
