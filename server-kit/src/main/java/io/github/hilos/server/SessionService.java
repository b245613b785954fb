package io.github.hilos.server;

/**
 * A service with per-connection state (the chapter's stateful server): the thread-based organizations open a
 * session for each connection, route that connection's requests to it, and close it (if it is
 * {@link AutoCloseable}) when the connection ends, whatever the reason. The state-table server does not support
 * sessions; its state lives in its machine.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
@FunctionalInterface
public interface SessionService<I, O> extends Service<I, O> {

    /**
     * Opens the session of a new connection.
     *
     * @return the connection's own service; closed when the connection ends if it is {@link AutoCloseable}
     * @throws Exception if the session cannot be opened (the connection is closed)
     */
    Service<I, O> openSession() throws Exception;

    /** A session service is not called directly: each connection gets its own session. */
    @Override
    default O handle(I request) {
        throw new IllegalStateException("a session service answers through its sessions");
    }
}
