package io.github.hilos.server;

import io.github.hilos.api.Strand;
import io.github.hilos.net.StrandSocket;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Buffered reads of frames from a strand socket: lines and length-prefixed messages, each with a maximum size
 * checked before the bytes are kept, so an oversized frame fails fast ({@link FrameTooLargeException}) instead
 * of filling memory. Reads may run under a deadline ({@link #deadline(Duration)}): the whole of a request,
 * however slowly its bytes trickle in, must arrive before it, or the read fails with a
 * {@link SocketTimeoutException} (the slow-loris defence). Not thread-safe: one reading strand per connection.
 */
public final class FrameReader {

    private final StrandSocket socket;
    private final ByteBuffer buffer;
    private final int start;
    /** {@link Strand#nanoTime()} by which the current read must end, when {@link #hasDeadline}. */
    private long deadline;
    private boolean hasDeadline;

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
        this.start = 0;
    }

    /** Reads bytes already in memory: their end is the end of the stream. */
    private FrameReader(ByteBuffer bytes) {
        this.socket = null;
        this.buffer = bytes;
        this.start = bytes.position();
    }

    /**
     * A reader over bytes already received, for non-blocking servers (the state-table server): a codec reads a
     * request from them as from a socket, and an {@link EOFException} means the request is not complete yet.
     * {@link #socket()} is null.
     *
     * @param bytes the bytes, from their position to their limit; the reader advances the position
     * @return the reader
     */
    public static FrameReader over(ByteBuffer bytes) {
        return new FrameReader(bytes);
    }

    /**
     * Returns how many bytes a reader made by {@link #over} has consumed.
     *
     * @return the bytes consumed
     */
    public int consumed() {
        return buffer.position() - start;
    }

    /** How an interim response is written; see {@link #writeInterim}. */
    @FunctionalInterface
    public interface InterimWriter {
        /**
         * Writes the bytes.
         *
         * @param bytes the interim response
         * @throws IOException on a socket error
         */
        void write(ByteBuffer bytes) throws IOException;
    }

    private InterimWriter interim;

    /**
     * Sets how {@link #writeInterim} writes (the server puts the write under its write timeout).
     *
     * @param writer the writer
     */
    public void interimWriter(InterimWriter writer) {
        this.interim = writer;
    }

    /**
     * Writes an interim response in the middle of a request (HTTP's {@code 100 Continue}); nothing for a reader
     * over bytes in memory, whose client waits, then sends.
     *
     * @param bytes the response
     * @throws IOException on a socket error
     */
    public void writeInterim(ByteBuffer bytes) throws IOException {
        if (interim != null) {
            interim.write(bytes);
        } else if (socket != null) {
            socket.write(bytes);
        }
    }

    /**
     * Returns the socket, for codecs that must answer in the middle of a request (HTTP's {@code 100 Continue}).
     *
     * @return the connection, or null for a reader {@link #over} bytes in memory
     */
    public StrandSocket socket() {
        return socket;
    }

    /**
     * Sets the time by which every read from now on must have ended, until the next call; the server sets it
     * when a request starts, codecs may move it (HTTP gives its body its own deadline).
     *
     * @param timeout how long from now; null for no deadline
     */
    public void deadline(Duration timeout) {
        // nanoTime may be negative and wraps: compare by differences, and treat a century as no deadline
        long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        hasDeadline = nanos < Long.MAX_VALUE / 2;
        deadline = hasDeadline ? Strand.nanoTime() + nanos : 0;
    }

    /**
     * Waits until the next request starts: a byte is buffered (pipelined requests already are) or arrives.
     * The deadline is not used; {@code idle} bounds the wait instead (the keep-alive idle timeout).
     *
     * @param idle the longest wait, or null to wait until a byte, the end of the stream or a close
     * @return true when a byte is there, false at end of stream
     * @throws SocketTimeoutException if nothing came within {@code idle}
     * @throws IOException on a socket error
     */
    public boolean awaitRequest(Duration idle) throws IOException {
        if (buffer.hasRemaining()) {
            return true;
        }
        if (socket == null) {
            return false;
        }
        buffer.compact();
        try {
            return (idle == null ? socket.read(buffer) : socket.read(buffer, idle)) >= 0;
        } finally {
            buffer.flip();
        }
    }

    /**
     * Returns the buffer itself, positioned at the next unread byte, for a decoder that consumes from it directly
     * (HTTP's resumable decoder); call {@link #fillMore()} when it needs more.
     *
     * @return the buffer
     */
    public ByteBuffer buffered() {
        return buffer;
    }

    /**
     * Reads more bytes into the buffer (the unread ones are kept), within the deadline.
     *
     * @return false at end of stream (always, for bytes in memory)
     * @throws IOException on a socket error or timeout
     */
    public boolean fillMore() throws IOException {
        return fill();
    }

    /** Fills the buffer with what the socket has, within the deadline; false at end of stream. */
    private boolean fill() throws IOException {
        if (socket == null) {
            return false; // bytes in memory: their end is the end of the stream
        }
        buffer.compact();
        try {
            if (!hasDeadline) {
                return socket.read(buffer) >= 0;
            }
            long left = deadline - Strand.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("the request did not arrive within its deadline");
            }
            return socket.read(buffer, Duration.ofNanos(left)) >= 0;
        } finally {
            buffer.flip();
        }
    }

    /**
     * Reads a line ended by LF, keeping the bytes before the LF as they are (a CR included), for protocols that
     * must check their own line ends.
     *
     * @param maxBytes the longest line accepted, its ending included
     * @return the line's bytes without the LF, or null at a clean end of stream
     * @throws FrameTooLargeException if no LF comes within {@code maxBytes}
     * @throws EOFException if the stream ends inside a line
     * @throws IOException on a socket error or timeout
     */
    public byte[] readRawLine(int maxBytes) throws IOException {
        byte[] line = null;
        int length = 0;
        for (;;) {
            int start = buffer.position();
            int limit = buffer.limit();
            for (int i = start; i < limit; i++) {
                if (buffer.get(i) == '\n') {
                    int n = i - start;
                    if (length + n + 1 > maxBytes) {
                        throw new FrameTooLargeException("line longer than " + maxBytes + " bytes");
                    }
                    byte[] out = new byte[length + n];
                    if (length > 0) {
                        System.arraycopy(line, 0, out, 0, length);
                    }
                    buffer.get(out, length, n);
                    buffer.get(); // the LF
                    return out;
                }
            }
            int n = limit - start;
            if (length + n >= maxBytes) {
                throw new FrameTooLargeException("line longer than " + maxBytes + " bytes");
            }
            if (n > 0) {
                if (line == null || line.length < length + n) {
                    line = java.util.Arrays.copyOf(line == null ? new byte[0] : line, Math.max(64, 2 * (length + n)));
                }
                buffer.get(line, length, n);
                length += n;
            }
            if (!fill()) {
                if (length == 0) {
                    return null;
                }
                throw new EOFException("end of stream inside a line of " + length + " bytes");
            }
        }
    }

    /**
     * Reads a line ended by LF as ISO-8859-1 text, its bytes before the LF kept as they are (a CR included): one
     * copy from the buffer to the string when the line is in the buffer, for protocols that check their own line
     * ends (HTTP).
     *
     * @param maxBytes the longest line accepted, its ending included
     * @return the line without the LF, or null at a clean end of stream
     * @throws FrameTooLargeException if no LF comes within {@code maxBytes}
     * @throws EOFException if the stream ends inside a line
     * @throws IOException on a socket error or timeout
     */
    public String readLatin1Line(int maxBytes) throws IOException {
        if (buffer.hasArray()) {
            int start = buffer.position();
            int limit = buffer.limit();
            byte[] array = buffer.array();
            int base = buffer.arrayOffset();
            for (int i = start; i < limit; i++) {
                if (array[base + i] == '\n') {
                    int n = i - start;
                    if (n + 1 > maxBytes) {
                        throw new FrameTooLargeException("line longer than " + maxBytes + " bytes");
                    }
                    buffer.position(i + 1);
                    return new String(array, base + start, n, StandardCharsets.ISO_8859_1);
                }
            }
        }
        byte[] raw = readRawLine(maxBytes); // the line spans buffer fills
        return raw == null ? null : new String(raw, StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads exactly {@code dst.length - offset} bytes into {@code dst} from {@code offset}.
     *
     * @param dst where to put them
     * @param offset the first index to fill
     * @param length how many bytes
     * @throws EOFException if the stream ends first
     * @throws IOException on a socket error or timeout
     */
    public void readFully(byte[] dst, int offset, int length) throws IOException {
        int filled = 0;
        while (filled < length) {
            if (!buffer.hasRemaining() && !fill()) {
                throw new EOFException("end of stream after " + filled + " of " + length + " bytes");
            }
            int n = Math.min(buffer.remaining(), length - filled);
            buffer.get(dst, offset + filled, n);
            filled += n;
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
        readFully(message, 0, length);
        return message;
    }
}
