package io.github.hilos.server.http;

import io.github.hilos.server.Codec;
import io.github.hilos.server.MemoryBudget;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1.1 request parser, resumable: a state machine fed whatever bytes have arrived, as Netty's
 * {@code HttpObjectDecoder} is. It consumes every byte it is given (a partial line waits in its own buffer, a body
 * in its own array), so the total work is linear in the request's size however the request is split, and the
 * caller's buffer never has to hold a whole request. The blocking servers feed it from their socket
 * ({@link HttpCodec#read}), the state-table server from its selector loop; the rules are {@link HttpCodec}'s.
 *
 * <p>Phases: the request line (up to two empty lines before it are skipped), the header fields up to the empty
 * line, then the body: a fixed length, or chunks (a size line, the data, its CRLF) up to the last chunk and its
 * trailers. A request ends in {@link #decode} returning it; the decoder is then ready for the next one. One
 * decoder per connection; not thread-safe.
 */
final class HttpDecoder implements Codec.Decoder<HttpRequest> {

    private enum Phase { REQUEST_LINE, HEADERS, FIXED_BODY, CHUNK_LINE, CHUNK_DATA, CHUNK_END, TRAILERS }

    private static final byte[] NO_BODY = new byte[0];
    private static final int FIRST_BODY_ARRAY = 64 * 1024;

    private final HttpLimits limits;
    private final MemoryBudget budget;
    /** What this request's body holds of the budget. */
    private long reserved;
    private Phase phase = Phase.REQUEST_LINE;
    /** The bytes of a line that has not ended yet, and how many. */
    private byte[] partial = NO_BODY;
    private int partialLength;
    private boolean started;
    private int emptyLines;
    private String method;
    private String target;
    private String version;
    private HttpHeaders.Builder fields;
    private int fieldBudget;
    private HttpHeaders headers;
    /** A fixed-length body as it fills (its array grows with the bytes that came), or null. */
    private byte[] body;
    private int bodyFilled;
    private int bodyLength;
    private ByteArrayOutputStream chunks;
    private long chunkLeft;
    private long framing;
    private int chunkEndSeen;
    private ByteBuffer interim;
    private boolean inBody;

    HttpDecoder(HttpLimits limits) {
        this(limits, MemoryBudget.shared());
    }

    HttpDecoder(HttpLimits limits, MemoryBudget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /** Reserves memory for a body's growth; past the budget the request is answered 503. */
    private void reserve(long bytes) throws HttpException {
        if (!budget.tryReserve(bytes)) {
            throw new HttpException(503, "the server holds as many request bodies as its memory budget allows ("
                    + budget.limit() + " bytes); try again later");
        }
        reserved += bytes;
    }

    @Override
    public void release() {
        budget.release(reserved);
        reserved = 0;
    }

    @Override
    public HttpRequest decode(ByteBuffer in) throws IOException {
        for (;;) {
            switch (phase) {
                case REQUEST_LINE -> {
                    String raw = line(in, limits.maxRequestLineBytes() + 2, 414, "request line too long");
                    if (raw == null) {
                        return null;
                    }
                    requestLine(raw);
                }
                case HEADERS, TRAILERS -> {
                    boolean trailers = phase == Phase.TRAILERS;
                    String raw = line(in, fieldBudget, 431, trailers ? "trailers too large" : "header block too large");
                    if (raw == null) {
                        return null;
                    }
                    fieldBudget -= raw.length() + 1;
                    if (fieldLine(raw)) {
                        if (trailers) {
                            return finish(chunks.toByteArray()); // trailers: checked like headers, then dropped
                        }
                        headers = fields.build();
                        HttpRequest bodyless = endOfHead();
                        if (bodyless != null) {
                            return bodyless;
                        }
                    }
                }
                case FIXED_BODY -> {
                    int n = Math.min(in.remaining(), bodyLength - bodyFilled);
                    if (bodyFilled + n > body.length) {
                        int grown = (int) Math.min(bodyLength, Math.max(bodyFilled + (long) n, 2L * body.length));
                        reserve(grown - body.length);
                        body = java.util.Arrays.copyOf(body, grown);
                    }
                    in.get(body, bodyFilled, n);
                    bodyFilled += n;
                    if (bodyFilled < bodyLength) {
                        return null;
                    }
                    return finish(body);
                }
                case CHUNK_LINE -> {
                    String raw = line(in, HttpCodec.MAX_CHUNK_LINE, 400, "chunk line too long");
                    if (raw == null) {
                        return null;
                    }
                    // The chunk lines (sizes and extensions) and the CRLFs after each chunk's data count against
                    // one budget of maxHeaderBytes, so that framing cannot make a request arbitrarily larger than
                    // its body: a request's bytes on the wire stay under maxRequestBytes().
                    framing += raw.length() + 2 + 2;
                    if (framing > limits.maxHeaderBytes()) {
                        throw new HttpException(413, "chunk framing (sizes and extensions) over "
                                + limits.maxHeaderBytes() + " bytes");
                    }
                    long size = HttpCodec.chunkSize(HttpCodec.crlfLine(raw));
                    if (size == 0) {
                        phase = Phase.TRAILERS;
                        fields = new HttpHeaders.Builder();
                        fieldBudget = limits.maxHeaderBytes();
                    } else {
                        if (size > limits.maxBodyBytes() - chunks.size()) { // not size() + size: it can overflow
                            throw new HttpException(413, "chunked body over " + limits.maxBodyBytes() + " bytes");
                        }
                        chunkLeft = size;
                        phase = Phase.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(in.remaining(), chunkLeft);
                    if (n > 0) {
                        reserve(n);
                        if (in.hasArray()) {
                            chunks.write(in.array(), in.arrayOffset() + in.position(), n);
                            in.position(in.position() + n);
                        } else {
                            byte[] copy = new byte[n];
                            in.get(copy);
                            chunks.write(copy, 0, n);
                        }
                        chunkLeft -= n;
                    }
                    if (chunkLeft > 0) {
                        return null;
                    }
                    phase = Phase.CHUNK_END;
                    chunkEndSeen = 0;
                }
                case CHUNK_END -> {
                    while (chunkEndSeen < 2 && in.hasRemaining()) {
                        byte b = in.get();
                        if (b != (chunkEndSeen == 0 ? '\r' : '\n')) {
                            throw HttpCodec.bad("chunk data not followed by CRLF");
                        }
                        chunkEndSeen++;
                    }
                    if (chunkEndSeen < 2) {
                        return null;
                    }
                    phase = Phase.CHUNK_LINE;
                }
                default -> throw new IllegalStateException(phase.name());
            }
        }
    }

    @Override
    public ByteBuffer interim() {
        ByteBuffer out = interim;
        interim = null;
        return out;
    }

    @Override
    public boolean inBody() {
        return inBody;
    }

    @Override
    public boolean started() {
        return started;
    }

    /**
     * The next line ended by LF, without the LF (a CR before it is kept, for the caller to check), or null when it
     * has not ended yet: then every byte given is kept in {@link #partial}.
     */
    private String line(ByteBuffer in, int max, int status, String tooLong) throws HttpException {
        int pos = in.position();
        int limit = in.limit();
        if (partialLength == 0 && pos < limit && in.hasArray()) { // the usual case: the whole line is in the buffer
            started = true;
            byte[] a = in.array();
            int base = in.arrayOffset();
            for (int i = pos; i < limit; i++) {
                if (a[base + i] == '\n') {
                    if (i - pos + 1 > max) {
                        throw new HttpException(status, tooLong);
                    }
                    in.position(i + 1);
                    return new String(a, base + pos, i - pos, StandardCharsets.ISO_8859_1);
                }
            }
        }
        return lineAcrossBuffers(in, max, status, tooLong);
    }

    /** {@link #line} when the line started in an earlier buffer or does not end in this one. */
    private String lineAcrossBuffers(ByteBuffer in, int max, int status, String tooLong) throws HttpException {
        int pos = in.position();
        int limit = in.limit();
        if (pos < limit) {
            started = true;
        }
        int lf = -1;
        for (int i = pos; i < limit; i++) {
            if (in.get(i) == '\n') {
                lf = i;
                break;
            }
        }
        if (lf < 0) {
            int n = limit - pos;
            if (partialLength + n >= max) {
                throw new HttpException(status, tooLong);
            }
            if (partial.length < partialLength + n) {
                partial = java.util.Arrays.copyOf(partial, Math.max(128, 2 * (partialLength + n)));
            }
            in.get(partial, partialLength, n);
            partialLength += n;
            return null;
        }
        int n = lf - pos;
        if (partialLength + n + 1 > max) {
            throw new HttpException(status, tooLong);
        }
        if (partial.length < partialLength + n) {
            partial = java.util.Arrays.copyOf(partial, partialLength + n);
        }
        in.get(partial, partialLength, n);
        in.get(); // the LF
        String text = new String(partial, 0, partialLength + n, StandardCharsets.ISO_8859_1);
        partialLength = 0;
        return text;
    }

    private void requestLine(String raw) throws HttpException {
        String requestLine = HttpCodec.crlfLine(raw);
        if (requestLine.isEmpty()) {
            if (++emptyLines > HttpCodec.LEADING_EMPTY_LINES) {
                throw HttpCodec.bad("empty lines instead of a request line");
            }
            started = partialLength > 0; // empty lines before a request are not a request yet
            return;
        }
        int sp1 = requestLine.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
            throw HttpCodec.bad("request line is not 'method SP target SP version'");
        }
        String m = requestLine.substring(0, sp1);
        String t = requestLine.substring(sp1 + 1, sp2);
        String v = requestLine.substring(sp2 + 1);
        if (!HttpSyntax.isToken(m)) {
            throw HttpCodec.bad("method is not a token");
        }
        HttpCodec.checkTarget(t);
        if (v.length() != 8 || !v.startsWith("HTTP/") || !HttpCodec.isDigit(v.charAt(5))
                || v.charAt(6) != '.' || !HttpCodec.isDigit(v.charAt(7))) {
            throw HttpCodec.bad("malformed HTTP version");
        }
        if (!v.equals("HTTP/1.1") && !v.equals("HTTP/1.0")) {
            throw new HttpException(505, "HTTP version not supported: " + v);
        }
        if (!m.equals("GET") && !HttpCodec.METHODS.contains(m)) {
            throw new HttpException(501, "method not implemented: " + m);
        }
        HttpCodec.checkTargetForm(t);
        if (t.equals("*") && !m.equals("OPTIONS")) {
            throw HttpCodec.bad("'*' is a target for OPTIONS only");
        }
        method = m;
        target = t;
        version = v;
        phase = Phase.HEADERS;
        fields = new HttpHeaders.Builder();
        fieldBudget = limits.maxHeaderBytes();
    }

    /** Adds a field line to {@link #fields}; true at the empty line that ends the block. */
    private boolean fieldLine(String raw) throws HttpException {
        String text = HttpCodec.crlfLine(raw);
        if (text.isEmpty()) {
            return true;
        }
        if (HttpSyntax.isOws(text.charAt(0))) {
            throw HttpCodec.bad("obs-fold (a line starting with whitespace)");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw HttpCodec.bad(colon == 0 ? "empty field name" : "field without a colon");
        }
        String name = text.substring(0, colon);
        if (!HttpSyntax.isToken(name)) {
            throw HttpCodec.bad("field name is not a token (whitespace before the colon?)");
        }
        int start = colon + 1;
        int end = text.length();
        while (start < end && HttpSyntax.isOws(text.charAt(start))) {
            start++;
        }
        while (end > start && HttpSyntax.isOws(text.charAt(end - 1))) {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (!HttpSyntax.isFieldValueChar(text.charAt(i))) {
                throw HttpCodec.bad("control character in the value of " + name);
            }
        }
        if (fields.size() == limits.maxHeaderFields()) {
            throw new HttpException(431, "more than " + limits.maxHeaderFields() + " fields");
        }
        fields.add(name, text.substring(start, end));
        return false;
    }

    /** After the header block: checks the framing; returns the request when it has no body. */
    private HttpRequest endOfHead() throws HttpException {
        boolean http11 = version.equals("HTTP/1.1");
        if (headers.has(HttpHeaders.HOST_REPEATED)) {
            throw HttpCodec.bad("repeated Host");
        }
        if (headers.has(HttpHeaders.HOST)) {
            HttpCodec.checkHost(headers.first("Host"));
        } else if (http11) {
            throw HttpCodec.bad("HTTP/1.1 request without Host");
        }
        java.util.List<String> te = headers.has(HttpHeaders.TRANSFER_ENCODING) ? headers.all("Transfer-Encoding")
                : java.util.List.of();
        java.util.List<String> cl = headers.has(HttpHeaders.CONTENT_LENGTH) ? headers.all("Content-Length")
                : java.util.List.of();
        boolean chunked = false;
        long length = 0;
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) {
                throw HttpCodec.bad("both Content-Length and Transfer-Encoding");
            }
            if (!http11) {
                throw HttpCodec.bad("Transfer-Encoding in HTTP/1.0");
            }
            chunked = HttpCodec.checkCodings(te);
        } else if (!cl.isEmpty()) {
            length = HttpCodec.contentLength(cl);
        }
        if (length > limits.maxBodyBytes()) {
            throw new HttpException(413, "body of " + length + " bytes; the limit is " + limits.maxBodyBytes());
        }
        String expect = headers.has(HttpHeaders.EXPECT) ? headers.first("Expect") : null;
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue") || headers.all("Expect").size() > 1) {
                throw new HttpException(417, "unsupported expectation: " + expect);
            }
            if (http11 && (chunked || length > 0)) {
                interim = ByteBuffer.wrap(HttpCodec.CONTINUE);
            }
        }
        if (chunked) {
            phase = Phase.CHUNK_LINE;
            chunks = new ByteArrayOutputStream();
            framing = 0;
            inBody = true;
            return null;
        }
        if (length > 0) {
            phase = Phase.FIXED_BODY;
            bodyLength = (int) length;
            reserve(Math.min(bodyLength, FIRST_BODY_ARRAY));
            body = new byte[Math.min(bodyLength, FIRST_BODY_ARRAY)];
            bodyFilled = 0;
            inBody = true;
            return null;
        }
        return finish(NO_BODY);
    }

    private HttpRequest finish(byte[] requestBody) {
        release(); // the body is the service's now
        HttpRequest request = new HttpRequest(method, target, version, headers, requestBody);
        phase = Phase.REQUEST_LINE;
        started = false;
        emptyLines = 0;
        method = null;
        target = null;
        version = null;
        fields = null;
        headers = null;
        body = null;
        chunks = null;
        inBody = false;
        interim = null;
        if (partial.length > 1024) {
            partial = NO_BODY; // a long line's buffer is not kept for the connection's life
        }
        return request;
    }
}
