package io.github.hilos.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP codec's limits, with defaults in the range common servers use (the request line 8 KiB, the header block 16 KiB
 * and 100 fields) and a 1 MiB body. Requests over them are refused: 414, 431, 413.
 *
 * @param maxRequestLineBytes the longest request line, without its CRLF
 * @param maxHeaderBytes the longest header block, CRLFs included (trailers of a chunked body get as much again)
 * @param maxHeaderFields the most header fields
 * @param maxBodyBytes the largest body, chunked or not
 * @param bodyTimeout how long the body may take to arrive once the headers are in (the request deadline of
 *     {@code ServerLimits} covers the request line and headers)
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderFields, long maxBodyBytes,
                         Duration bodyTimeout) {

    /** The defaults: 8 KiB, 16 KiB, 100 fields, 1 MiB body, 30 s for the body. */
    public static final HttpLimits DEFAULTS = new HttpLimits(8192, 16384, 100, 1 << 20, Duration.ofSeconds(30));

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException on a non-positive limit, naming it
     */
    public HttpLimits {
        if (maxRequestLineBytes < 16) {
            throw new IllegalArgumentException("max request line must be at least 16 bytes: " + maxRequestLineBytes);
        }
        if (maxHeaderBytes < 16) {
            throw new IllegalArgumentException("max header bytes must be at least 16: " + maxHeaderBytes);
        }
        if (maxHeaderFields <= 0) {
            throw new IllegalArgumentException("max header fields must be positive: " + maxHeaderFields);
        }
        if (maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("max body bytes must be in [0, 2^31 - 17]: " + maxBodyBytes);
        }
        Objects.requireNonNull(bodyTimeout, "body timeout");
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("body timeout must be positive: " + bodyTimeout);
        }
    }

    /**
     * Returns these limits with another body limit.
     *
     * @param bytes the largest body
     * @return the new limits
     */
    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderFields, bytes, bodyTimeout);
    }

    /**
     * Returns these limits with another body deadline.
     *
     * @param timeout how long the body may take
     * @return the new limits
     */
    public HttpLimits withBodyTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderFields, maxBodyBytes, timeout);
    }
}
