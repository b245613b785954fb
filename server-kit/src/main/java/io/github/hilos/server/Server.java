package io.github.hilos.server;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * What every server organization offers, whichever it is: iterative, thread-per-connection, dispatcher/worker,
 * one-dispatcher or state-table. Code that starts a server by organization name and then only serves, measures and
 * stops it holds a {@code Server}.
 */
public interface Server extends AutoCloseable {

    /**
     * Returns the address the server listens on, with the actual port (as bound, also after a shutdown).
     *
     * @return the address
     */
    SocketAddress localAddress();

    /**
     * Returns the server's counters.
     *
     * @return a snapshot (the state-table server publishes it at the end of each loop turn)
     */
    ServerStats stats();

    /**
     * Shuts down gracefully: stops accepting, closes idle connections, lets requests in flight finish within
     * {@code grace}, then cuts the rest. Later calls return the first report.
     *
     * @param grace how long requests in flight may take
     * @return what was closed, finished and cut
     */
    ShutdownReport shutdown(Duration grace);

    /** Shuts down within the limits' shutdown grace. */
    @Override
    void close();
}
