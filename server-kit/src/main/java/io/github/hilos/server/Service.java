package io.github.hilos.server;

/**
 * The application: answers one request. Called on a strand of the server's runtime; it may block in Hilos calls
 * (sync, net, {@code Jacket.call}), which on user-level runtimes park only its strand.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
@FunctionalInterface
public interface Service<I, O> {

    /**
     * Answers a request.
     *
     * @param request the request
     * @return the response
     * @throws Exception on failure: the client gets the codec's error response and the connection is closed
     */
    O handle(I request) throws Exception;
}
