package io.github.hilos.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Blocking NIO channels: the sockets of kernel-thread runtimes and plain threads. Timeouts go through the
 * channels' socket adaptors, whose timed operations the JDK implements on the channel itself. The channels are
 * interruptible: interrupting a platform thread blocked in one closes it (a {@code ClosedByInterruptException}),
 * and on a virtual thread the JDK does the same.
 */
final class BlockingNetProvider implements NetProvider {

    static final BlockingNetProvider INSTANCE = new BlockingNetProvider();

    private BlockingNetProvider() {
    }

    @Override
    public Listener bind(SocketAddress local, int backlog) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.bind(local, backlog);
            return new BlockingListener(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Connection connect(SocketAddress remote, long timeoutNanos) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (timeoutNanos == Long.MAX_VALUE) {
                channel.connect(remote);
            } else {
                channel.socket().connect(remote, toMillis(timeoutNanos));
            }
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            return new BlockingConnection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Socket timeouts are whole milliseconds, at least one (zero would mean "no timeout"). */
    static int toMillis(long nanos) {
        if (nanos <= 0) {
            return 1;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
    }

    private record BlockingListener(ServerSocketChannel channel) implements Listener {

        @Override
        public Connection accept(long timeoutNanos) throws IOException {
            SocketChannel accepted;
            if (timeoutNanos == Long.MAX_VALUE) {
                accepted = channel.accept();
            } else {
                // The adaptor's timeout is per socket: concurrent timed accepts share the latest one set.
                channel.socket().setSoTimeout(toMillis(timeoutNanos));
                accepted = channel.socket().accept().getChannel();
            }
            accepted.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            return new BlockingConnection(accepted);
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class BlockingConnection extends SocketChannelConnection {

        BlockingConnection(SocketChannel channel) {
            super(channel);
        }

        @Override
        public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
            if (timeoutNanos == Long.MAX_VALUE) {
                return channel.read(dst);
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            channel.socket().setSoTimeout(toMillis(timeoutNanos));
            int n;
            if (dst.hasArray()) {
                n = channel.socket().getInputStream().read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                byte[] tmp = new byte[Math.min(dst.remaining(), 64 * 1024)];
                n = channel.socket().getInputStream().read(tmp);
                if (n > 0) {
                    dst.put(tmp, 0, n);
                }
            }
            return n;
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
