package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Chooses the buffer each socket read of one connection goes into. While a WRITE payload is
 * arriving, the read goes straight into the rest of the payload's own buffer (a slice of it), so
 * the bytes land where the bio writes them from and are never copied. Right after a large WRITE the
 * next read takes only a request header, so the next payload does not start in a receive buffer.
 * Otherwise Netty's adaptive sizing applies (many small requests per read).
 */
final class NbdRecvAllocator implements RecvByteBufAllocator {
    private final NbdClientDecoder decoder;
    private final AdaptiveRecvByteBufAllocator adaptive;

    NbdRecvAllocator(NbdClientDecoder decoder, AdaptiveRecvByteBufAllocator adaptive) {
        this.decoder = decoder;
        this.adaptive = adaptive;
    }

    @Override
    public Handle newHandle() {
        return new PayloadHandle((ExtendedHandle) adaptive.newHandle());
    }

    private final class PayloadHandle implements ExtendedHandle {
        private final ExtendedHandle delegate;

        PayloadHandle(ExtendedHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf into = decoder.receiveTarget(alloc);
            return into != null ? into : delegate.allocate(alloc);
        }

        @Override
        public int guess() {
            return delegate.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
