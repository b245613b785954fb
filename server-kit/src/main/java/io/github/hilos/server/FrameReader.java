package io.github.hilos.server;

import io.github.hilos.net.StrandSocket;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Buffered reads of frames from a strand socket: lines and length-prefixed messages, each with a maximum size
 * checked before the bytes are kept, so an oversized frame fails fast ({@link FrameTooLargeException}) instead
 * of filling memory. Not thread-safe: one reading strand per connection.
 */
public final class FrameReader {

    private final StrandSocket socket;
    private final ByteBuffer buffer;

    /**
     * Reads from {@code socket} through a buffer of {@code bufferSize} bytes.
     *
     * @param socket the socket
     * @param bufferSize the buffer size; positive
     */
    public FrameReader(StrandSocket socket, int bufferSize) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive: " + bufferSize);
        }
        this.socket = socket;
        this.buffer = ByteBuffer.allocate(bufferSize).flip();
    }

    /** Fills the buffer with what the socket has; false at end of stream. */
    private boolean fill() throws IOException {
        buffer.compact();
        try {
            return socket.read(buffer) >= 0;
        } finally {
            buffer.flip();
        }
    }

    /**
     * Reads a line ended by LF (a CR before it is dropped), in UTF-8.
     *
     * @param maxBytes the longest line accepted, without its end
     * @return the line, or null at a clean end of stream (no partial line)
     * @throws FrameTooLargeException if the line is longer than {@code maxBytes}
     * @throws EOFException if the stream ends inside a line
     * @throws IOException on a socket error
     */
    public String readLine(int maxBytes) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(Math.min(maxBytes, 256));
        for (;;) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.UTF_8);
                }
                if (line.size() >= maxBytes + 1) { // +1: room for the CR of a line of exactly maxBytes
                    throw new FrameTooLargeException("line longer than " + maxBytes + " bytes");
                }
                line.write(b);
            }
            if (!fill()) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("end of stream inside a line of " + line.size() + " bytes");
            }
        }
    }

    /**
     * Reads a message prefixed by its length (4 bytes, big-endian).
     *
     * @param maxBytes the largest message accepted
     * @return the message, or null at a clean end of stream
     * @throws FrameTooLargeException if the announced length is negative or over {@code maxBytes}
     * @throws EOFException if the stream ends inside a message
     * @throws IOException on a socket error
     */
    public byte[] readLengthPrefixed(int maxBytes) throws IOException {
        while (buffer.remaining() < 4) {
            int had = buffer.remaining();
            if (!fill()) {
                if (had == 0) {
                    return null;
                }
                throw new EOFException("end of stream inside a length prefix");
            }
        }
        int length = buffer.getInt();
        if (length < 0 || length > maxBytes) {
            throw new FrameTooLargeException("frame of " + length + " bytes announced; the limit is " + maxBytes);
        }
        byte[] message = new byte[length];
        int filled = 0;
        while (filled < length) {
            if (!buffer.hasRemaining() && !fill()) {
                throw new EOFException("end of stream after " + filled + " of " + length + " bytes");
            }
            int n = Math.min(buffer.remaining(), length - filled);
            buffer.get(message, filled, n);
            filled += n;
        }
        return message;
    }
}
