package io.github.hilos.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A response. The codec writes {@code Content-Length} (and {@code Connection}) itself, so a service sets neither;
 * {@code Connection: close} set by the service is honoured.
 *
 * @param status the status code, 100 to 599
 * @param headers the fields the service sets
 * @param body the body; a HEAD request gets its length but not its bytes
 */
public record HttpResponse(int status, HttpHeaders headers, byte[] body) {

    /**
     * Checks the response.
     *
     * @throws IllegalArgumentException on a status outside 100-599, or a {@code Content-Length} or
     *     {@code Transfer-Encoding} field (the codec frames the body)
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
        return new HttpResponse(status, headers.with(name, value), body);
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
