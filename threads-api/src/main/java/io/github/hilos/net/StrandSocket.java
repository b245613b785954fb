package io.github.hilos.net;

import io.github.hilos.spi.Durations;
import io.github.hilos.spi.NetProvider;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * A connected TCP socket whose reads and writes wait by parking the calling strand (see
 * {@link StrandServerSocket} for what that means on each runtime). TCP_NODELAY is on.
 *
 * <p>One strand may read while another writes; two concurrent readers (or writers) interleave unpredictably.
 */
public final class StrandSocket implements Closeable {

    private final NetProvider.Connection connection;
    /** Timeout of reads through {@link #inputStream()}; nanoseconds, {@code Long.MAX_VALUE} for none. */
    private volatile long streamReadTimeoutNanos = Long.MAX_VALUE;

    StrandSocket(NetProvider.Connection connection) {
        this.connection = connection;
    }

    /**
     * Connects to {@code remote}, waiting as long as the system allows.
     *
     * @param remote the address
     * @return the connected socket
     * @throws IOException if connecting fails
     */
    public static StrandSocket connect(SocketAddress remote) throws IOException {
        Objects.requireNonNull(remote, "remote address");
        return new StrandSocket(Sockets.provider().connect(remote, Long.MAX_VALUE));
    }

    /**
     * Connects to {@code remote}, waiting at most {@code timeout}.
     *
     * @param remote the address
     * @param timeout the longest wait; must not be negative
     * @return the connected socket
     * @throws java.net.SocketTimeoutException on timeout
     * @throws IOException if connecting fails
     */
    public static StrandSocket connect(SocketAddress remote, Duration timeout) throws IOException {
        Objects.requireNonNull(remote, "remote address");
        return new StrandSocket(Sockets.provider().connect(remote, Durations.toNanos(timeout, "connect timeout")));
    }

    /**
     * Reads into {@code dst}, waiting for at least one byte.
     *
     * @param dst the buffer
     * @return the number of bytes read, or -1 at end of stream
     * @throws IOException on error
     */
    public int read(ByteBuffer dst) throws IOException {
        return connection.read(Objects.requireNonNull(dst, "buffer"), Long.MAX_VALUE);
    }

    /**
     * Reads into {@code dst}, waiting at most {@code timeout} for at least one byte.
     *
     * @param dst the buffer
     * @param timeout the longest wait; must not be negative
     * @return the number of bytes read, or -1 at end of stream
     * @throws java.net.SocketTimeoutException on timeout (the socket stays usable)
     * @throws IOException on error
     */
    public int read(ByteBuffer dst, Duration timeout) throws IOException {
        return connection.read(Objects.requireNonNull(dst, "buffer"), Durations.toNanos(timeout, "read timeout"));
    }

    /**
     * Writes every remaining byte of {@code src}.
     *
     * @param src the bytes
     * @return the number of bytes written
     * @throws IOException on error
     */
    public int write(ByteBuffer src) throws IOException {
        int n = Objects.requireNonNull(src, "buffer").remaining();
        connection.write(src);
        return n;
    }

    /**
     * Half-closes: the peer reads end of stream, and this side can still read its answer.
     *
     * @throws IOException on error
     */
    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    /**
     * Half-closes the input: further reads return end of stream.
     *
     * @throws IOException on error
     */
    public void shutdownInput() throws IOException {
        connection.shutdownInput();
    }

    /**
     * Sets the timeout of reads through {@link #inputStream()}.
     *
     * @param timeout the longest wait for a read, or {@code null} for none; must not be negative
     */
    public void setStreamReadTimeout(Duration timeout) {
        streamReadTimeoutNanos = timeout == null ? Long.MAX_VALUE : Durations.toNanos(timeout, "read timeout");
    }

    /**
     * Returns a stream view of the input; closing it closes the socket.
     *
     * @return the input stream
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                return connection.read(ByteBuffer.wrap(b, off, len), streamReadTimeoutNanos);
            }

            @Override
            public void close() throws IOException {
                StrandSocket.this.close();
            }
        };
    }

    /**
     * Returns a stream view of the output; closing it closes the socket.
     *
     * @return the output stream
     */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                connection.write(ByteBuffer.wrap(new byte[] {(byte) b}));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                connection.write(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() throws IOException {
                StrandSocket.this.close();
            }
        };
    }

    /**
     * Returns the local address.
     *
     * @return the address
     * @throws IOException if closed
     */
    public SocketAddress localAddress() throws IOException {
        return connection.localAddress();
    }

    /**
     * Returns the peer's address.
     *
     * @return the address
     * @throws IOException if closed
     */
    public SocketAddress remoteAddress() throws IOException {
        return connection.remoteAddress();
    }

    /**
     * Tells whether the socket is open.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Closes the socket; strands blocked in it get an {@link IOException}. */
    @Override
    public void close() throws IOException {
        connection.close();
    }
}
