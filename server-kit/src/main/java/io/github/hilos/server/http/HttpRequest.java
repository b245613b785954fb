package io.github.hilos.server.http;

/**
 * A request as the strict codec accepted it.
 *
 * @param method the method, upper case as sent ({@code GET}, {@code HEAD}, ...)
 * @param target the request target as sent (origin form {@code /a/b?q}, absolute form, or {@code *})
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields
 * @param body the body (empty when there is none; chunked bodies are joined, their trailers dropped)
 */
public record HttpRequest(String method, String target, String version, HttpHeaders headers, byte[] body) {

    /**
     * Returns the path of the target, without its query.
     *
     * @return the path ({@code *} for {@code OPTIONS *})
     */
    public String path() {
        String t = target;
        if (t.regionMatches(true, 0, "http://", 0, 7) || t.regionMatches(true, 0, "https://", 0, 8)) {
            int slash = t.indexOf('/', t.indexOf("//") + 2);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }

    /**
     * Tells whether the client lets the connection carry another request: HTTP/1.1 unless it said
     * {@code Connection: close}; HTTP/1.0 only if it said {@code Connection: keep-alive}.
     *
     * @return whether to keep the connection
     */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) {
            return false;
        }
        return "HTTP/1.1".equals(version) || headers.hasToken("Connection", "keep-alive");
    }

    /**
     * Tells whether this is a HEAD request, whose response carries no body.
     *
     * @return whether the method is HEAD
     */
    public boolean isHead() {
        return "HEAD".equals(method);
    }
}
