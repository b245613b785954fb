package io.github.hilos.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits every server organization enforces, with defaults in the spirit of Go's {@code net/http} and Netty
 * deployments. Immutable; change one with its {@code with...} method.
 *
 * @param idleTimeout how long a kept-alive connection may wait for the first byte of its next request before it
 *     is closed quietly (default 60 s)
 * @param requestTimeout how long a request may take to arrive from its first byte, however slowly it trickles
 *     in: the slow-loris deadline (default 20 s; for HTTP it covers the request line and headers, and
 *     {@code HttpLimits#bodyTimeout} the body); a late request is answered with the codec's error
 *     (HTTP 408) and its connection closed
 * @param writeTimeout how long writing one response may take before the connection is cut (default 30 s)
 * @param maxConnections connections served at once; beyond it the acceptor waits for one to end, leaving the
 *     newcomers in the listen backlog (default 10 000)
 * @param maxConnectionsPerSource connections at once from one remote address; a connection beyond it is
 *     closed at once, unread (default 1 000)
 * @param shutdownGrace how long {@link StrandServer#close()} lets in-flight requests finish (default 10 s)
 * @param readBufferBytes the read buffer of each connection (default 8 KiB)
 */
public record ServerLimits(Duration idleTimeout, Duration requestTimeout, Duration writeTimeout, int maxConnections,
                           int maxConnectionsPerSource, Duration shutdownGrace, int readBufferBytes) {

    /** The defaults. */
    public static final ServerLimits DEFAULTS = new ServerLimits(Duration.ofSeconds(60), Duration.ofSeconds(20),
            Duration.ofSeconds(30), 10_000, 1_000, Duration.ofSeconds(10), 8192);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException on a non-positive duration or count, naming it
     */
    public ServerLimits {
        positive(idleTimeout, "idle timeout");
        positive(requestTimeout, "request timeout");
        positive(writeTimeout, "write timeout");
        Objects.requireNonNull(shutdownGrace, "shutdown grace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative: " + shutdownGrace);
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("max connections must be positive: " + maxConnections);
        }
        if (maxConnectionsPerSource <= 0) {
            throw new IllegalArgumentException("max connections per source must be positive: "
                    + maxConnectionsPerSource);
        }
        if (readBufferBytes < 64) {
            throw new IllegalArgumentException("read buffer must be at least 64 bytes: " + readBufferBytes);
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /**
     * Returns these limits with another idle timeout.
     *
     * @param d the keep-alive idle timeout
     * @return the new limits
     */
    public ServerLimits withIdleTimeout(Duration d) {
        return new ServerLimits(d, requestTimeout, writeTimeout, maxConnections, maxConnectionsPerSource,
                shutdownGrace, readBufferBytes);
    }

    /**
     * Returns these limits with another request deadline.
     *
     * @param d the request (header) deadline
     * @return the new limits
     */
    public ServerLimits withRequestTimeout(Duration d) {
        return new ServerLimits(idleTimeout, d, writeTimeout, maxConnections, maxConnectionsPerSource,
                shutdownGrace, readBufferBytes);
    }

    /**
     * Returns these limits with another write timeout.
     *
     * @param d the write timeout
     * @return the new limits
     */
    public ServerLimits withWriteTimeout(Duration d) {
        return new ServerLimits(idleTimeout, requestTimeout, d, maxConnections, maxConnectionsPerSource,
                shutdownGrace, readBufferBytes);
    }

    /**
     * Returns these limits with another connection cap.
     *
     * @param n connections served at once
     * @return the new limits
     */
    public ServerLimits withMaxConnections(int n) {
        return new ServerLimits(idleTimeout, requestTimeout, writeTimeout, n, maxConnectionsPerSource,
                shutdownGrace, readBufferBytes);
    }

    /**
     * Returns these limits with another per-source cap.
     *
     * @param n connections at once from one remote address
     * @return the new limits
     */
    public ServerLimits withMaxConnectionsPerSource(int n) {
        return new ServerLimits(idleTimeout, requestTimeout, writeTimeout, maxConnections, n, shutdownGrace,
                readBufferBytes);
    }

    /**
     * Returns these limits with another shutdown grace.
     *
     * @param d how long close() lets in-flight requests finish
     * @return the new limits
     */
    public ServerLimits withShutdownGrace(Duration d) {
        return new ServerLimits(idleTimeout, requestTimeout, writeTimeout, maxConnections, maxConnectionsPerSource,
                d, readBufferBytes);
    }
}
