package io.github.hilos.server.http;

import io.github.hilos.server.FileRegion;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A response. The codec writes {@code Content-Length} (and {@code Connection}) itself, so a service sets neither;
 * {@code Connection: close} set by the service is honoured.
 *
 * @param status the status code, 100 to 599
 * @param headers the fields the service sets
 * @param body the body in memory; a HEAD request gets its length but not its bytes
 * @param file the body as a part of a file, streamed when the response is written (then {@code body} is
 *     empty), or null
 */
public record HttpResponse(int status, HttpHeaders headers, byte[] body, FileRegion file) {

    private static final byte[] NO_BYTES = new byte[0];

    /**
     * Checks the response.
     *
     * @throws IllegalArgumentException on a status outside 100-599, a {@code Content-Length} or
     *     {@code Transfer-Encoding} field (the codec frames the body), or both a body and a file
     */
    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be in 100-599: " + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (headers.first("Content-Length") != null || headers.first("Transfer-Encoding") != null) {
            throw new IllegalArgumentException("the codec frames the body: no Content-Length or Transfer-Encoding");
        }
        if (file != null && body.length > 0) {
            throw new IllegalArgumentException("a response has a body in memory or a file, not both");
        }
    }

    /**
     * A response whose body is in memory.
     *
     * @param status the status code, 100 to 599
     * @param headers the fields the service sets
     * @param body the body
     */
    public HttpResponse(int status, HttpHeaders headers, byte[] body) {
        this(status, headers, body, null);
    }

    /**
     * A response whose body is a part of a file, streamed in bounded chunks when it is written, so that neither
     * a large file nor a client that reads slowly costs memory in proportion to the file. A HEAD request, or a
     * range, costs no read of what is not sent.
     *
     * @param status the status
     * @param contentType the {@code Content-Type}
     * @param file the part of the file to send
     * @return the response
     */
    public static HttpResponse file(int status, String contentType, FileRegion file) {
        return new HttpResponse(status, HttpHeaders.of("Content-Type", contentType), NO_BYTES,
                Objects.requireNonNull(file, "file"));
    }

    /**
     * The body's length: the bytes in memory, or the file region's length.
     *
     * @return the number of body bytes
     */
    public long bodyLength() {
        return file != null ? file.length() : body.length;
    }

    /**
     * A text response, {@code text/plain; charset=utf-8}.
     *
     * @param status the status
     * @param text the body
     * @return the response
     */
    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, HttpHeaders.of("Content-Type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A 200 text response.
     *
     * @param text the body
     * @return the response
     */
    public static HttpResponse ok(String text) {
        return text(200, text);
    }

    /**
     * A response with a body of the given type.
     *
     * @param status the status
     * @param contentType the {@code Content-Type}
     * @param body the body
     * @return the response
     */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, HttpHeaders.of("Content-Type", contentType), body);
    }

    /**
     * Returns this response with one more header field.
     *
     * @param name the name
     * @param value the value
     * @return the new response
     */
    public HttpResponse header(String name, String value) {
        return new HttpResponse(status, headers.with(name, value), body, file);
    }

    /**
     * The reason phrase of a status.
     *
     * @param status the status
     * @return its standard phrase, or an empty string
     */
    public static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
