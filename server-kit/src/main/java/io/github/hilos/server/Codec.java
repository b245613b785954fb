package io.github.hilos.server;

import io.github.hilos.net.StrandSocket;

import java.io.IOException;

/**
 * How requests are read from a connection and responses written to it.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public interface Codec<I, O> {

    /**
     * Reads the next request.
     *
     * @param in the connection's reader
     * @return the request, or null when the client closed the connection cleanly
     * @throws IOException on a malformed or oversized request (the connection is then answered with
     *     {@link #error(Exception)} if it gives one, and closed) or a socket error
     */
    I read(FrameReader in) throws IOException;

    /**
     * Writes a response.
     *
     * @param response the response
     * @param out the connection
     * @throws IOException on a socket error
     */
    void write(O response, StrandSocket out) throws IOException;

    /**
     * The response to a request the server refuses because it is overloaded (dispatcher/worker admission control).
     *
     * @return the refusal, which the client can tell from a normal answer
     */
    O overloaded();

    /**
     * The response to a request that failed: malformed, oversized, or the service threw.
     *
     * @param failure what went wrong
     * @return the response to send before closing the connection, or null to close it without one
     */
    O error(Exception failure);
}
