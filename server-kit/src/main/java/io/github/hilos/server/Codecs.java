package io.github.hilos.server;

import io.github.hilos.net.StrandSocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Framing codecs with limits: text lines, and length-prefixed binary messages. */
public final class Codecs {

    private Codecs() {
    }

    /**
     * Text lines (UTF-8, LF or CRLF). A refusal is the line {@code ERR overloaded}; an error is
     * {@code ERR } and a short reason, then the connection closes. Responses must not contain line breaks.
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
            public void write(String response, StrandSocket out) throws IOException {
                out.write(encode(null, response, true));
            }

            @Override
            public ByteBuffer encode(String request, String response, boolean keepAlive) {
                Objects.requireNonNull(response, "response");
                if (response.indexOf('\n') >= 0 || response.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("a line response contains a line break: " + response);
                }
                return ByteBuffer.wrap((response + "\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String overloaded() {
                return "ERR overloaded";
            }

            @Override
            public String error(Exception failure) {
                return failure instanceof FrameTooLargeException ? "ERR line too long" : "ERR " + oneLine(failure);
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

    private static String oneLine(Exception failure) {
        String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
