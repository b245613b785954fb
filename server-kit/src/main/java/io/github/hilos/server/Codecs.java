package io.github.hilos.server;

import io.github.hilos.net.StrandSocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Framing codecs with limits: text lines, and length-prefixed binary messages. */
public final class Codecs {

    private static final System.Logger LOG = System.getLogger("io.github.hilos.server");
    /** What a line client gets when the service failed. */
    static final String SERVICE_FAILED = "ERR internal error";

    private Codecs() {
    }

    /**
     * Text lines (UTF-8, LF or CRLF). A refusal is the line {@code ERR overloaded}; a malformed request gets
     * {@code ERR line too long} or {@code ERR bad request}, a request the service failed on gets
     * {@code ERR internal error} (the exception goes to the server's log, never to the client), then the connection
     * closes. A response with a line break is a service bug: it is logged and answered {@code ERR internal error}.
     *
     * @param maxLineBytes the longest request line accepted; positive
     * @return the codec
     */
    public static Codec<String, String> lines(int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maximum line length must be positive: " + maxLineBytes);
        }
        return new Codec<>() {
            @Override
            public String read(FrameReader in) throws IOException {
                return in.readLine(maxLineBytes);
            }

            @Override
            public int maxRequestBytes() {
                return maxLineBytes + 2; // the line and its CRLF
            }

            @Override
            public void write(String response, StrandSocket out) throws IOException {
                out.write(encode(null, response, true));
            }

            @Override
            public ByteBuffer encode(String request, String response, boolean keepAlive) {
                Objects.requireNonNull(response, "response");
                String line = response;
                if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                    // A service bug that would break the framing (the client would read two answers): the client
                    // gets the service-failure answer, the log gets the rest.
                    LOG.log(System.Logger.Level.WARNING, () -> "a line response contains a line break; answered "
                            + SERVICE_FAILED + " instead of: " + response.replace("\r", "\\r").replace("\n", "\\n"));
                    line = SERVICE_FAILED;
                }
                return ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String overloaded() {
                return "ERR overloaded";
            }

            /** Malformed input: a fixed reason, never the exception's text (which may carry server details). */
            @Override
            public String error(Exception failure) {
                return failure instanceof FrameTooLargeException ? "ERR line too long" : "ERR bad request";
            }

            /** The service threw: the server logs it; the client learns only that it failed. */
            @Override
            public String serviceFailed(Exception failure) {
                return SERVICE_FAILED;
            }
        };
    }

    /**
     * Binary messages, each prefixed by its length (4 bytes, big-endian). A refusal is an empty message; an
     * error closes the connection without a response.
     *
     * @param maxFrameBytes the largest request accepted; positive
     * @return the codec
     */
    public static Codec<byte[], byte[]> lengthPrefixed(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maximum frame size must be positive: " + maxFrameBytes);
        }
        return new Codec<>() {
            @Override
            public byte[] read(FrameReader in) throws IOException {
                return in.readLengthPrefixed(maxFrameBytes);
            }

            @Override
            public int maxRequestBytes() {
                return (int) Math.min(Integer.MAX_VALUE, 4L + maxFrameBytes);
            }

            @Override
            public void write(byte[] response, StrandSocket out) throws IOException {
                out.write(encode(null, response, true));
            }

            @Override
            public ByteBuffer encode(byte[] request, byte[] response, boolean keepAlive) {
                ByteBuffer frame = ByteBuffer.allocate(4 + response.length);
                return frame.putInt(response.length).put(response).flip();
            }

            @Override
            public byte[] overloaded() {
                return new byte[0];
            }

            @Override
            public byte[] error(Exception failure) {
                return null;
            }
        };
    }

}
