package io.github.hilos.spi;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The socket implementation behind {@link io.github.hilos.net.StrandSocket} and
 * {@link io.github.hilos.net.StrandServerSocket}. Kernel-thread runtimes use {@link #blocking()}; a
 * user-level runtime supplies one that parks the strand on its carrier's poller, through
 * {@link StrandCarrier#net()}. Timeouts are in nanoseconds; {@link Long#MAX_VALUE} means none.
 * Operations that time out throw {@link java.net.SocketTimeoutException}.
 */
public interface NetProvider {

    /**
     * Returns the provider of blocking NIO sockets: each call blocks its thread.
     *
     * @return the blocking provider
     */
    static NetProvider blocking() {
        return BlockingNetProvider.INSTANCE;
    }

    /**
     * Opens a listening socket.
     *
     * @param local the address to listen on (port 0 picks a free one)
     * @param backlog the accept queue length, 0 for the system default
     * @return the listener
     * @throws IOException if binding fails
     */
    Listener bind(SocketAddress local, int backlog) throws IOException;

    /**
     * Opens a connection.
     *
     * @param remote the address to connect to
     * @param timeoutNanos the longest wait
     * @return the connection
     * @throws IOException if connecting fails or times out
     */
    Connection connect(SocketAddress remote, long timeoutNanos) throws IOException;

    /**
     * Opens a readiness selector for the calling strand (see {@link io.github.hilos.net.StrandSelector}); by
     * default a {@link java.nio.channels.Selector} that blocks the calling thread.
     *
     * @return the selector
     * @throws IOException if it cannot be opened
     */
    default io.github.hilos.net.StrandSelector openSelector() throws IOException {
        return new JdkStrandSelector();
    }

    /**
     * Opens an unbound server channel to register with this provider's {@link #openSelector() selectors} (the
     * state-table server's listener); by default a JDK {@link java.nio.channels.ServerSocketChannel}. A simulated
     * runtime returns one of its network.
     *
     * @return the channel
     * @throws IOException if it cannot be opened
     */
    default java.nio.channels.ServerSocketChannel openServerSocketChannel() throws IOException {
        return java.nio.channels.ServerSocketChannel.open();
    }

    /** A listening socket. */
    interface Listener extends Closeable {

        /**
         * Waits for the next connection.
         *
         * @param timeoutNanos the longest wait
         * @return the accepted connection
         * @throws IOException if the listener is closed, or on timeout
         */
        Connection accept(long timeoutNanos) throws IOException;

        /**
         * Returns the bound address.
         *
         * @return the address, with the actual port
         * @throws IOException if the listener is closed
         */
        SocketAddress localAddress() throws IOException;
    }

    /** A connected stream socket. */
    interface Connection extends Closeable {

        /**
         * Reads into {@code dst}, waiting for at least one byte.
         *
         * @param dst the buffer
         * @param timeoutNanos the longest wait
         * @return the number of bytes read, -1 at end of stream
         * @throws IOException on error or timeout
         */
        int read(ByteBuffer dst, long timeoutNanos) throws IOException;

        /**
         * Writes all remaining bytes of {@code src}.
         *
         * @param src the bytes
         * @throws IOException on error
         */
        void write(ByteBuffer src) throws IOException;

        /**
         * Half-closes the output: the peer reads end of stream; this side can still read.
         *
         * @throws IOException on error
         */
        void shutdownOutput() throws IOException;

        /**
         * Half-closes the input: further reads return end of stream.
         *
         * @throws IOException on error
         */
        void shutdownInput() throws IOException;

        /**
         * Returns the local address.
         *
         * @return the address
         * @throws IOException if closed
         */
        SocketAddress localAddress() throws IOException;

        /**
         * Returns the peer's address.
         *
         * @return the address
         * @throws IOException if closed
         */
        SocketAddress remoteAddress() throws IOException;

        /**
         * Tells whether the connection is open.
         *
         * @return whether it is open
         */
        boolean isOpen();
    }
}
