package io.github.hilos.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A connection in memory, to drive a codec and a service in a unit test without sockets (as Netty's
 * {@code EmbeddedChannel}): write the bytes a client would send, read the bytes the server would answer. It
 * follows what the servers do with a connection: requests are decoded as their bytes arrive (pipelined ones in
 * order), each is answered by the service, a malformed request gets the codec's error answer and ends the
 * connection, a service's failure gets the codec's service-failure answer and ends it, and a response the codec
 * says ends the connection ({@code Connection: close}) ends it. Everything runs on the calling thread or strand,
 * when bytes are written.
 *
 * <pre>{@code
 * EmbeddedConnection<HttpRequest, HttpResponse> c = EmbeddedConnection.of(HttpCodec.strict(), myService);
 * c.writeInbound("GET /users/7 HTTP/1.1\r\nHost: x\r\n\r\n");
 * assertTrue(c.readOutboundText().startsWith("HTTP/1.1 200 OK"));
 * }</pre>
 *
 * <p>Not thread-safe: one test drives it.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class EmbeddedConnection<I, O> {

    private final Codec<I, O> codec;
    private final Service<I, O> service;
    private ByteBuffer in = ByteBuffer.allocate(4096);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean open = true;
    private boolean inputEnded;
    private long requests;

    private EmbeddedConnection(Codec<I, O> codec, Service<I, O> service) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.service = service instanceof SessionService<I, O> sessions ? openSession(sessions)
                : Objects.requireNonNull(service, "service");
    }

    private static <I, O> Service<I, O> openSession(SessionService<I, O> sessions) {
        try {
            return sessions.openSession();
        } catch (Exception e) {
            throw new IllegalStateException("could not open a session", e);
        }
    }

    /**
     * Makes a connection served by {@code service} through {@code codec}; a {@link SessionService} gets a session
     * of its own, as a real connection would.
     *
     * @param codec the framing
     * @param service the application
     * @param <I> the request type
     * @param <O> the response type
     * @return the connection, open
     */
    public static <I, O> EmbeddedConnection<I, O> of(Codec<I, O> codec, Service<I, O> service) {
        return new EmbeddedConnection<>(codec, service);
    }

    /**
     * Delivers bytes from the client and answers every request they complete.
     *
     * @param bytes what the client sends
     * @return this connection
     * @throws IllegalStateException if the connection has ended
     */
    public EmbeddedConnection<I, O> writeInbound(byte[] bytes) {
        if (!open) {
            throw new IllegalStateException("the connection has ended (" + requests + " requests answered)");
        }
        if (in.remaining() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() * 2, in.position() + bytes.length));
            in.flip();
            bigger.put(in);
            in = bigger;
        }
        in.put(bytes);
        serve();
        return this;
    }

    /**
     * Delivers text from the client, in UTF-8.
     *
     * @param text what the client sends
     * @return this connection
     */
    public EmbeddedConnection<I, O> writeInbound(String text) {
        return writeInbound(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The client half-closes: a request cut short is then an error, as on a real connection.
     *
     * @return this connection
     */
    public EmbeddedConnection<I, O> closeInbound() {
        inputEnded = true;
        if (open) {
            serve();
            if (open && in.position() == 0) {
                open = false; // a clean end between requests
            }
        }
        return this;
    }

    /**
     * Returns the bytes the server wrote since the last call, and forgets them.
     *
     * @return the bytes
     */
    public byte[] readOutbound() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    /**
     * Like {@link #readOutbound()}, as text (UTF-8).
     *
     * @return the text
     */
    public String readOutboundText() {
        return new String(readOutbound(), StandardCharsets.UTF_8);
    }

    /**
     * Tells whether the connection is still open: false after an error, a closing response or the client's end.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return open;
    }

    /**
     * Returns how many requests were decoded and handed to the service.
     *
     * @return the count
     */
    public long requests() {
        return requests;
    }

    private void serve() {
        while (open) {
            in.flip();
            I request;
            try {
                request = codec.decode(in);
            } catch (IOException malformed) {
                in.compact();
                answer(null, codec.error(malformed), false);
                return;
            }
            in.compact();
            if (request == null) {
                if (inputEnded && in.position() > 0) {
                    answer(null, codec.error(new java.io.EOFException("the client ended in the middle of a request")),
                            false);
                }
                return;
            }
            requests++;
            O response;
            try {
                response = service.handle(request);
            } catch (Exception failed) {
                answer(null, codec.serviceFailed(failed), false);
                return;
            }
            answer(request, response, codec.keepAlive(request, response));
        }
    }

    private void answer(I request, O response, boolean keepAlive) {
        if (response != null) {
            Codec.Output output = codec.encodeOutput(request, response, keepAlive);
            ByteBuffer bytes = output.bytes();
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            if (output.file() != null) {
                copy(output.file());
            }
        }
        if (request == null || !keepAlive) {
            open = false;
        }
    }

    private void copy(FileRegion file) {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            ByteBuffer chunk = ByteBuffer.allocate(FileStreaming.CHUNK_BYTES);
            for (long position = file.offset(), end = file.offset() + file.length(); position < end; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
                int n = channel.read(chunk, position);
                if (n < 0) {
                    throw new IOException(file.path() + " is shorter than its response announced");
                }
                position += n;
                out.write(chunk.array(), 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
