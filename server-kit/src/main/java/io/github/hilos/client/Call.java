package io.github.hilos.client;

/**
 * A remote call: any function from a request to a response that may block (in Hilos calls, or
 * {@link io.github.hilos.api.Jacket#await} over an asynchronous client) and may fail.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
@FunctionalInterface
public interface Call<Q, R> {

    /**
     * Makes the call.
     *
     * @param request the request
     * @return the response
     * @throws Exception on failure
     */
    R call(Q request) throws Exception;
}
