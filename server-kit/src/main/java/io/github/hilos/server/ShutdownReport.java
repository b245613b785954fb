package io.github.hilos.server;

import java.time.Duration;
import java.util.List;

/**
 * What a graceful shutdown did.
 *
 * @param idleClosed connections closed because they were waiting for a request
 * @param finished connections that were in the middle of a request and finished it (their last response sent,
 *     with {@code Connection: close} for HTTP)
 * @param cut connections still in a request at the deadline, closed without their response: the remote address
 *     and what they were doing
 * @param took how long the shutdown took
 */
public record ShutdownReport(int idleClosed, int finished, List<String> cut, Duration took) {

    /**
     * Tells whether no request was cut.
     *
     * @return true when every in-flight request finished
     */
    public boolean clean() {
        return cut.isEmpty();
    }
}
