package io.github.hilos.server;

/**
 * A server's counters.
 *
 * @param accepted connections admitted
 * @param refusedPerSource connections closed at once because their source had too many
 * @param requests requests read
 * @param failedRequests requests answered with an error (malformed, oversized, late, or the service threw)
 * @param writeTimeouts connections cut because a response took longer than the write timeout
 * @param open connections open now
 * @param accepting false once the server can no longer accept: its listener is gone (closed other than by a
 *     shutdown), which is logged once; the connections it has are still served. True while it accepts, or backs
 *     off after an accept failure that may pass (out of file descriptors)
 */
public record ServerStats(long accepted, long refusedPerSource, long requests, long failedRequests,
                          long writeTimeouts, int open, boolean accepting) {

    /**
     * Counters of a server that accepts.
     *
     * @param accepted connections admitted
     * @param refusedPerSource connections closed at once because their source had too many
     * @param requests requests read
     * @param failedRequests requests answered with an error
     * @param writeTimeouts connections cut by the write timeout
     * @param open connections open now
     */
    public ServerStats(long accepted, long refusedPerSource, long requests, long failedRequests, long writeTimeouts,
                       int open) {
        this(accepted, refusedPerSource, requests, failedRequests, writeTimeouts, open, true);
    }
}
