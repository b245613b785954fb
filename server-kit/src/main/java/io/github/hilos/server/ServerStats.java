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
 */
public record ServerStats(long accepted, long refusedPerSource, long requests, long failedRequests,
                          long writeTimeouts, int open) {
}
