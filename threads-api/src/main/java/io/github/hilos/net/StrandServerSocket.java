package io.github.hilos.net;

import io.github.hilos.spi.Durations;
import io.github.hilos.spi.NetProvider;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A listening TCP socket whose {@link #accept()} waits by parking the calling strand: on a kernel-thread
 * runtime it blocks the strand's thread; on a user-level runtime the strand waits on its carrier's poller and
 * the carrier runs other strands meanwhile. Which one is decided by the strand that binds it.
 */
public final class StrandServerSocket implements Closeable {

    private final NetProvider.Listener listener;

    private StrandServerSocket(NetProvider.Listener listener) {
        this.listener = listener;
    }

    /**
     * Listens on {@code local} with the system's default backlog.
     *
     * @param local the address; port 0 picks a free port (see {@link #localAddress()})
     * @return the listening socket
     * @throws IOException if binding fails
     */
    public static StrandServerSocket bind(SocketAddress local) throws IOException {
        return bind(local, 0);
    }

    /**
     * Listens on {@code local}.
     *
     * @param local the address; port 0 picks a free port
     * @param backlog the accept queue length; 0 for the system default
     * @return the listening socket
     * @throws IOException if binding fails
     */
    public static StrandServerSocket bind(SocketAddress local, int backlog) throws IOException {
        Objects.requireNonNull(local, "local address");
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must not be negative: " + backlog);
        }
        return new StrandServerSocket(Sockets.provider().bind(local, backlog));
    }

    /**
     * Waits for the next connection.
     *
     * @return the connection
     * @throws IOException if the socket is closed (also while waiting)
     */
    public StrandSocket accept() throws IOException {
        return new StrandSocket(listener.accept(Long.MAX_VALUE));
    }

    /**
     * Waits at most {@code timeout} for the next connection.
     *
     * @param timeout the longest wait; must not be negative
     * @return the connection
     * @throws java.net.SocketTimeoutException on timeout
     * @throws IOException if the socket is closed
     */
    public StrandSocket accept(Duration timeout) throws IOException {
        return new StrandSocket(listener.accept(Durations.toNanos(timeout, "accept timeout")));
    }

    /**
     * Returns the address this socket listens on, with the actual port.
     *
     * @return the address
     * @throws IOException if closed
     */
    public SocketAddress localAddress() throws IOException {
        return listener.localAddress();
    }

    /** Stops listening; a strand waiting in {@link #accept()} gets an {@link IOException}. */
    @Override
    public void close() throws IOException {
        listener.close();
    }
}
