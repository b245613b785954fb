package io.github.hilos.server;

import io.github.hilos.net.StrandSocket;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

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
     * Writes the response to {@code request}; the server calls this one. Codecs whose responses depend on the
     * request (HTTP: HEAD, version, {@code Connection}) override it; by default it is {@link #write(Object,
     * StrandSocket)}.
     *
     * @param request the request answered
     * @param response the response
     * @param keepAlive whether the server will read another request on this connection (false once it is shutting
     *     down, or when {@link #keepAlive} said no), so that the codec can tell the client
     * @param out the connection
     * @throws IOException on a socket error
     */
    default void write(I request, O response, boolean keepAlive, StrandSocket out) throws IOException {
        write(response, out);
    }

    /**
     * Tells whether this codec tells the client, in a response, that the connection ends (HTTP's
     * {@code Connection: close}), so that a server may end connections cleanly between requests; false by default.
     *
     * @return whether responses can announce the close
     */
    default boolean signalsClose() {
        return false;
    }

    /**
     * Tells whether the connection may carry another request after this exchange (HTTP: version and
     * {@code Connection}); true by default.
     *
     * @param request the request
     * @param response its response
     * @return whether to keep the connection open
     */
    default boolean keepAlive(I request, O response) {
        return true;
    }

    /**
     * Decodes a request from bytes already received, without blocking: the state-table server's read. By default
     * {@link #read} runs over the bytes ({@link FrameReader#over}); a request cut short (an
     * {@link EOFException}) means that more bytes are needed. A codec may decode incrementally instead.
     *
     * @param buffer the bytes received, from position to limit; advanced past the request when one is returned
     * @return the request, or null when the bytes hold no complete request yet
     * @throws IOException on a malformed or oversized request
     */
    default I decode(ByteBuffer buffer) throws IOException {
        FrameReader in = FrameReader.over(buffer.duplicate());
        I request;
        try {
            request = read(in);
        } catch (EOFException incomplete) {
            return null;
        }
        if (request != null) {
            buffer.position(buffer.position() + in.consumed());
        }
        return request;
    }

    /**
     * A parser of requests fed the bytes of one connection as they arrive, keeping its state between calls: what the
     * state-table server uses. It consumes the bytes it has parsed from the buffer it is given (all of them, for a
     * resumable decoder) and returns a request once one is complete.
     *
     * @param <I> the request type
     */
    @FunctionalInterface
    interface Decoder<I> {

        /**
         * Parses what {@code buffer} holds, from its position.
         *
         * @param buffer the bytes received; the position advances over what was consumed
         * @return a complete request, or null when more bytes are needed
         * @throws IOException if the bytes are not a valid request (the codec's {@link #error} answers it)
         */
        I decode(ByteBuffer buffer) throws IOException;

        /**
         * Returns, once, bytes to send before the request is complete ({@code 100 Continue}), or null.
         *
         * @return the bytes, or null
         */
        default ByteBuffer interim() {
            return null;
        }

        /**
         * Tells whether the current request's body has started (it has a deadline of its own).
         *
         * @return whether it has
         */
        default boolean inBody() {
            return false;
        }

        /**
         * Tells whether bytes of a request are held by the decoder (a request has started).
         *
         * @return whether one has
         */
        default boolean started() {
            return false;
        }

        /**
         * The connection ended: gives back what the decoder held for a request in progress (its memory
         * reservation). The servers call it when they drop a connection.
         */
        default void release() {
        }
    }

    /**
     * Makes a decoder for one connection of a non-blocking server. By default it calls {@link #decode(ByteBuffer)}
     * on the bytes buffered so far, which parses them again on every call: fine for short frames; a codec whose
     * requests may be large (HTTP) returns a resumable one.
     *
     * @return the decoder
     */
    default Decoder<I> decoder() {
        return this::decode;
    }

    /**
     * The most bytes one request may take on the wire under this codec's limits. A non-blocking server never
     * buffers more than this for one connection's request: past it, the request cannot be one the codec accepts.
     * The default, 16 MiB, suits a codec without limits of its own; Hilos' codecs return their own bound.
     *
     * @return the bound, in bytes
     */
    default int maxRequestBytes() {
        return 16 << 20;
    }

    /**
     * Encodes a response for a non-blocking write (the state-table server).
     *
     * @param request the request answered, or null for an error response (which ends the connection)
     * @param response the response
     * @param keepAlive whether another request will be read on the connection
     * @return the bytes to write
     * @throws UnsupportedOperationException if the codec has no encoder (the codecs of Hilos all have one)
     */
    default ByteBuffer encode(I request, O response, boolean keepAlive) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot encode for a non-blocking server");
    }

    /**
     * What a non-blocking server writes for a response: bytes, then possibly a part of a file streamed after them
     * ({@link FileRegion}), so that a file body is never held in memory whole.
     *
     * @param bytes the encoded response, or its head when a file follows
     * @param file the file part that follows, or null
     */
    record Output(ByteBuffer bytes, FileRegion file) {
    }

    /**
     * Encodes a response for a non-blocking write, with a file body as a {@link FileRegion} to stream; by default
     * the bytes of {@link #encode} and no file.
     *
     * @param request the request answered, or null for an error response
     * @param response the response
     * @param keepAlive whether another request will be read on the connection
     * @return what to write
     */
    default Output encodeOutput(I request, O response, boolean keepAlive) {
        return new Output(encode(request, response, keepAlive), null);
    }

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

    /**
     * The response when the service threw; by default {@link #error(Exception)}. HTTP answers 500 here, whatever
     * the exception, since the request itself was fine.
     *
     * @param failure what the service threw
     * @return the response to send before closing the connection, or null to close it without one
     */
    default O serviceFailed(Exception failure) {
        return error(failure);
    }
}
