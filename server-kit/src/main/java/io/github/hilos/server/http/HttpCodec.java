package io.github.hilos.server.http;

import io.github.hilos.net.StrandSocket;
import io.github.hilos.server.Codec;
import io.github.hilos.server.FileRegion;
import io.github.hilos.server.FileStreaming;
import io.github.hilos.server.FrameReader;
import io.github.hilos.server.FrameTooLargeException;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * HTTP/1.1 (RFC 9112), strict: a request that two parsers could read two ways is refused, since that is how
 * request smuggling works. The request line, header fields, {@code Content-Length} and chunked bodies, keep-alive,
 * pipelining (the server answers in order: it reads the next request only after writing this answer),
 * {@code Expect: 100-continue} and HEAD.
 *
 * <p>Refused with 400 and the connection closed: a bare LF or a stray CR, a request line that is not exactly
 * {@code method SP target SP version}, whitespace before a colon, obs-fold, a control character in a name or
 * value, a missing (HTTP/1.1) or repeated {@code Host}, {@code Content-Length} together with
 * {@code Transfer-Encoding}, a {@code Content-Length} that is not digits or differs from another one, a
 * {@code Transfer-Encoding} whose last coding is not {@code chunked} or that repeats it, any
 * {@code Transfer-Encoding} in HTTP/1.0, a chunk size that is not hex or overflows, a malformed chunk extension or
 * chunk end. Over the limits: 414 (request line), 431 (header block or fields), 413 (body). Unknown methods 501,
 * codings other than chunked 501, versions other than 1.0 and 1.1 505, an expectation other than
 * {@code 100-continue} 417, a late request 408. Every error response closes its connection.
 */
public final class HttpCodec implements Codec<HttpRequest, HttpResponse> {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
            "PATCH");
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Empty lines tolerated before a request line (RFC 9112 2.2 asks for at least one). */
    private static final int LEADING_EMPTY_LINES = 2;
    private static final int MAX_CHUNK_LINE = 4096;

    private final HttpLimits limits;

    private HttpCodec(HttpLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * The strict codec with the default limits.
     *
     * @return the codec
     */
    public static HttpCodec strict() {
        return new HttpCodec(HttpLimits.DEFAULTS);
    }

    /**
     * The strict codec with the given limits.
     *
     * @param limits the limits
     * @return the codec
     */
    public static HttpCodec strict(HttpLimits limits) {
        return new HttpCodec(limits);
    }

    /**
     * Returns the limits.
     *
     * @return the limits
     */
    public HttpLimits limits() {
        return limits;
    }

    /**
     * The request line, the header block, the body, the chunk framing and the trailers at their limits (each
     * limit is enforced on its own, so a request's bytes stay under the sum).
     */
    @Override
    public int maxRequestBytes() {
        long sum = limits.maxRequestLineBytes() + 2L + limits.maxHeaderBytes() + limits.maxBodyBytes()
                + 2L * limits.maxHeaderBytes(); // chunk framing, then trailers: one header block's budget each
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }

    @Override
    public HttpRequest read(FrameReader in) throws IOException {
        String requestLine = null;
        for (int empty = 0; requestLine == null; empty++) {
            String raw = line(in, limits.maxRequestLineBytes() + 2, 414, "request line too long");
            if (raw == null) {
                return null;
            }
            String text = crlfLine(raw);
            if (!text.isEmpty()) {
                requestLine = text;
            } else if (empty >= LEADING_EMPTY_LINES) {
                throw bad("empty lines instead of a request line");
            }
        }
        int sp1 = requestLine.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
            throw bad("request line is not 'method SP target SP version'");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!HttpSyntax.isToken(method)) {
            throw bad("method is not a token");
        }
        checkTarget(target);
        if (version.length() != 8 || !version.startsWith("HTTP/") || !isDigit(version.charAt(5))
                || version.charAt(6) != '.' || !isDigit(version.charAt(7))) {
            throw bad("malformed HTTP version");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpException(505, "HTTP version not supported: " + version);
        }
        if (!method.equals("GET") && !METHODS.contains(method)) {
            throw new HttpException(501, "method not implemented: " + method);
        }
        checkTargetForm(target);
        if (target.equals("*") && !method.equals("OPTIONS")) {
            throw bad("'*' is a target for OPTIONS only");
        }
        HttpHeaders headers = fields(in, true);
        boolean http11 = version.equals("HTTP/1.1");

        if (headers.has(HttpHeaders.HOST_REPEATED)) {
            throw bad("repeated Host");
        }
        if (headers.has(HttpHeaders.HOST)) {
            checkHost(headers.first("Host"));
        } else if (http11) {
            throw bad("HTTP/1.1 request without Host");
        }

        java.util.List<String> te = headers.has(HttpHeaders.TRANSFER_ENCODING) ? headers.all("Transfer-Encoding")
                : java.util.List.of();
        java.util.List<String> cl = headers.has(HttpHeaders.CONTENT_LENGTH) ? headers.all("Content-Length")
                : java.util.List.of();
        boolean chunked = false;
        long length = 0;
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) {
                throw bad("both Content-Length and Transfer-Encoding");
            }
            if (!http11) {
                throw bad("Transfer-Encoding in HTTP/1.0");
            }
            chunked = checkCodings(te);
        } else if (!cl.isEmpty()) {
            length = contentLength(cl);
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
                in.writeInterim(ByteBuffer.wrap(CONTINUE));
            }
        }

        byte[] body;
        if (chunked || length > 0) {
            in.deadline(limits.bodyTimeout());
            body = chunked ? chunkedBody(in) : fixedBody(in, (int) length);
        } else {
            body = new byte[0];
        }
        return new HttpRequest(method, target, version, headers, body);
    }

    /** Reads a line; a clean end of stream is null, an overlong line the given status. */
    private static String line(FrameReader in, int max, int status, String tooLong) throws IOException {
        try {
            return in.readLatin1Line(max);
        } catch (FrameTooLargeException e) {
            throw new HttpException(status, tooLong);
        }
    }

    /** The text of a line that must end in CR (its LF is gone) and hold no other CR. */
    private static String crlfLine(String raw) throws HttpException {
        int cr = raw.indexOf('\r');
        if (cr != raw.length() - 1 || cr < 0) {
            throw bad(cr < 0 ? "bare LF: lines end with CRLF" : "CR inside a line");
        }
        return raw.substring(0, cr);
    }

    private static void checkTarget(String target) throws HttpException {
        if (target.isEmpty()) {
            throw bad("empty target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw bad("target has a control, space or non-ASCII character");
            }
            if (c == '#') {
                throw bad("target has a fragment");
            }
        }
    }

    private static void checkTargetForm(String target) throws HttpException {
        if (target.charAt(0) == '/') {
            return; // origin form, nearly every request
        }
        boolean absolute = target.regionMatches(true, 0, "http://", 0, 7)
                || target.regionMatches(true, 0, "https://", 0, 8);
        if (!absolute && !target.equals("*")) {
            throw bad("target is neither origin, absolute nor '*' form");
        }
    }

    /** The characters of a host (reg-name, IP literal) and port. */
    private static final boolean[] HOST_CHARS = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            HOST_CHARS[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)
                    || "-._~!$&'()*+,;=:%[]".indexOf(c) >= 0;
        }
    }

    private static void checkHost(String host) throws HttpException {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 128 || !HOST_CHARS[c]) {
                throw bad("Host has a character outside a host and port");
            }
        }
    }

    /** True when the body is chunked; otherwise throws (chunked must be last, and only once). */
    private static boolean checkCodings(java.util.List<String> fields) throws HttpException {
        java.util.List<String> codings = new java.util.ArrayList<>();
        for (String f : fields) {
            for (String member : f.split(",", -1)) {
                String c = member.strip();
                if (c.isEmpty()) {
                    // RFC 9110 5.6.1 lets a recipient ignore empty list members, but a proxy in front may not
                    // agree on what the field says: the framing field is refused rather than guessed at.
                    throw bad("empty member in Transfer-Encoding");
                }
                if (!HttpSyntax.isToken(c)) {
                    throw bad("Transfer-Encoding member is not a token");
                }
                codings.add(c.toLowerCase(Locale.ROOT));
            }
        }
        if (codings.isEmpty()) {
            throw bad("empty Transfer-Encoding");
        }
        if (!codings.get(codings.size() - 1).equals("chunked")) {
            throw bad("Transfer-Encoding whose last coding is not chunked");
        }
        if (codings.indexOf("chunked") != codings.size() - 1) {
            throw bad("chunked applied more than once");
        }
        if (codings.size() > 1) {
            throw new HttpException(501, "transfer coding not implemented: " + codings.get(0));
        }
        return true;
    }

    private static long contentLength(java.util.List<String> fields) throws HttpException {
        long length = -1;
        for (String f : fields) {
            for (String member : f.split(",", -1)) {
                String v = member.strip();
                if (v.isEmpty() || v.length() > 18) {
                    throw bad(v.isEmpty() ? "empty Content-Length" : "Content-Length overflows");
                }
                long n = 0;
                for (int i = 0; i < v.length(); i++) {
                    char c = v.charAt(i);
                    if (!isDigit(c)) {
                        throw bad("Content-Length is not a decimal number");
                    }
                    n = n * 10 + (c - '0');
                }
                if (length >= 0 && n != length) {
                    throw bad("differing Content-Length values");
                }
                length = n;
            }
        }
        return length;
    }

    /**
     * Header fields (or a chunked body's trailers) up to the empty line, within the limits.
     *
     * @param headerBlock true for the header block (431 over the limits), false for trailers (also 431)
     */
    private HttpHeaders fields(FrameReader in, boolean headerBlock) throws IOException {
        HttpHeaders.Builder headers = new HttpHeaders.Builder();
        int budget = limits.maxHeaderBytes();
        for (;;) {
            String raw = line(in, budget, 431, headerBlock ? "header block too large" : "trailers too large");
            if (raw == null) {
                throw new EOFException("end of stream inside the header block");
            }
            budget -= raw.length() + 1;
            String text = crlfLine(raw);
            if (text.isEmpty()) {
                return headers.build();
            }
            if (HttpSyntax.isOws(text.charAt(0))) {
                throw bad("obs-fold (a line starting with whitespace)");
            }
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw bad(colon == 0 ? "empty field name" : "field without a colon");
            }
            String name = text.substring(0, colon);
            if (!HttpSyntax.isToken(name)) {
                throw bad("field name is not a token (whitespace before the colon?)");
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
                    throw bad("control character in the value of " + name);
                }
            }
            if (headers.size() == limits.maxHeaderFields()) {
                throw new HttpException(431, "more than " + limits.maxHeaderFields() + " fields");
            }
            headers.add(name, text.substring(start, end));
        }
    }

    /**
     * Reads a body of {@code length} bytes into an array that grows with the bytes that came (64 KiB first, then
     * doubling), so that a client announcing a large body and sending nothing does not hold that memory.
     */
    private static byte[] fixedBody(FrameReader in, int length) throws IOException {
        byte[] body = new byte[Math.min(length, 64 * 1024)];
        int filled = 0;
        while (filled < length) {
            if (filled == body.length) {
                body = java.util.Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
            }
            int n = body.length - filled;
            in.readFully(body, filled, n);
            filled += n;
        }
        return body;
    }

    private byte[] chunkedBody(FrameReader in) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        // The chunk lines (sizes and extensions) and the CRLFs after each chunk's data count against one budget
        // of maxHeaderBytes, so that framing cannot make a request arbitrarily larger than its body: a request's
        // bytes on the wire stay under maxRequestBytes().
        long framing = 0;
        for (;;) {
            String raw = line(in, MAX_CHUNK_LINE, 400, "chunk line too long");
            if (raw == null) {
                throw new EOFException("end of stream inside a chunked body");
            }
            framing += raw.length() + 2 + 2; // this line with its CRLF, and the CRLF after its data
            if (framing > limits.maxHeaderBytes()) {
                throw new HttpException(413, "chunk framing (sizes and extensions) over " + limits.maxHeaderBytes()
                        + " bytes");
            }
            long size = chunkSize(crlfLine(raw));
            if (size == 0) {
                fields(in, false); // trailers: checked like headers, then dropped
                return body.toByteArray();
            }
            if (size > limits.maxBodyBytes() - body.size()) { // not body.size() + size: that can overflow
                throw new HttpException(413, "chunked body over " + limits.maxBodyBytes() + " bytes");
            }
            byte[] chunk = fixedBody(in, (int) size);
            body.write(chunk, 0, chunk.length);
            byte[] end = new byte[2];
            in.readFully(end, 0, 2);
            if (end[0] != '\r' || end[1] != '\n') {
                throw bad("chunk data not followed by CRLF");
            }
        }
    }

    /** {@code chunk-size [ chunk-ext ]}: hex digits, then {@code *( BWS ";" BWS name [ BWS "=" BWS value ] )}. */
    static long chunkSize(String line) throws HttpException {
        int i = 0;
        long size = 0;
        while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0 && line.charAt(i) < 0x80) {
            if (size > (Long.MAX_VALUE >> 4)) {
                throw bad("chunk size overflows");
            }
            size = (size << 4) | Character.digit(line.charAt(i), 16);
            i++;
        }
        if (i == 0) {
            throw bad("chunk size is not hexadecimal");
        }
        while (i < line.length()) {
            i = skipOws(line, i);
            if (i == line.length() || line.charAt(i) != ';') {
                throw bad("malformed chunk extension");
            }
            i = skipOws(line, i + 1);
            int nameStart = i;
            while (i < line.length() && HttpSyntax.isTchar(line.charAt(i))) {
                i++;
            }
            if (i == nameStart) {
                throw bad("chunk extension without a name");
            }
            int afterName = skipOws(line, i);
            if (afterName < line.length() && line.charAt(afterName) == '=') {
                i = skipOws(line, afterName + 1);
                i = extensionValue(line, i);
            }
        }
        return size;
    }

    private static int extensionValue(String line, int i) throws HttpException {
        if (i < line.length() && line.charAt(i) == '"') {
            i++;
            while (i < line.length() && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\') {
                    i++;
                    if (i == line.length() || !HttpSyntax.isFieldValueChar(line.charAt(i))) {
                        throw bad("malformed quoted pair in a chunk extension");
                    }
                } else if (!HttpSyntax.isFieldValueChar(c)) {
                    throw bad("control character in a chunk extension");
                }
                i++;
            }
            if (i == line.length()) {
                throw bad("unterminated quoted string in a chunk extension");
            }
            return i + 1;
        }
        int start = i;
        while (i < line.length() && HttpSyntax.isTchar(line.charAt(i))) {
            i++;
        }
        if (i == start) {
            throw bad("chunk extension without a value after '='");
        }
        return i;
    }

    private static int skipOws(String s, int i) {
        while (i < s.length() && HttpSyntax.isOws(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static HttpException bad(String reason) {
        return new HttpException(400, reason);
    }

    @Override
    public boolean signalsClose() {
        return true;
    }

    @Override
    public boolean keepAlive(HttpRequest request, HttpResponse response) {
        return request.keepAlive() && !response.headers().hasToken("Connection", "close");
    }

    @Override
    public void write(HttpRequest request, HttpResponse response, boolean keepAlive, StrandSocket out)
            throws IOException {
        boolean head = request.isHead();
        out.write(encode(response, head, keepAlive, "HTTP/1.0".equals(request.version())));
        FileRegion file = fileToSend(response, head);
        if (file != null) {
            FileStreaming.send(file, out);
        }
    }

    /** Writes a response to no request (an error): it closes the connection. */
    @Override
    public void write(HttpResponse response, StrandSocket out) throws IOException {
        out.write(encode(response, false, false, false));
        FileRegion file = fileToSend(response, false);
        if (file != null) {
            FileStreaming.send(file, out);
        }
    }

    @Override
    public ByteBuffer encode(HttpRequest request, HttpResponse response, boolean keepAlive) {
        if (response.file() != null && !(request != null && request.isHead()) && !isBodyless(response.status())) {
            throw new UnsupportedOperationException("a file body is streamed: use encodeOutput");
        }
        return request == null ? encode(response, false, false, false)
                : encode(response, request.isHead(), keepAlive, "HTTP/1.0".equals(request.version()));
    }

    @Override
    public Output encodeOutput(HttpRequest request, HttpResponse response, boolean keepAlive) {
        boolean head = request != null && request.isHead();
        ByteBuffer bytes = request == null ? encode(response, false, false, false)
                : encode(response, head, keepAlive, "HTTP/1.0".equals(request.version()));
        return new Output(bytes, fileToSend(response, head));
    }

    /** The file part that follows the head, or null (none, a HEAD request, or a status without a body). */
    private static FileRegion fileToSend(HttpResponse response, boolean head) {
        FileRegion file = response.file();
        return file == null || head || isBodyless(response.status()) || file.length() == 0 ? null : file;
    }

    private static boolean isBodyless(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    /** {@code HTTP/1.1 status reason CRLF} for every status, built once (final, so safely shared). */
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int status = 100; status < 600; status++) {
            STATUS_LINES[status] = ("HTTP/1.1 " + status + " " + HttpResponse.reason(status) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CLOSE = ascii("Connection: close\r\n\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n\r\n");
    private static final byte[] CRLF = ascii("\r\n");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static ByteBuffer encode(HttpResponse response, boolean head, boolean keepAlive, boolean http10) {
        int status = response.status();
        boolean bodyless = isBodyless(status);
        byte[] statusLine = STATUS_LINES[status];
        byte[] fields = response.headers().encodedForResponse();
        byte[] length = bodyless ? null : ascii(Long.toString(response.bodyLength()));
        byte[] connection = !keepAlive ? CLOSE : http10 ? KEEP_ALIVE : CRLF;
        int bodyBytes = head || bodyless ? 0 : response.body().length; // a file body follows separately
        int size = statusLine.length + fields.length + connection.length + bodyBytes
                + (length == null ? 0 : CONTENT_LENGTH.length + length.length + 2);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(statusLine).put(fields);
        if (length != null) {
            b.put(CONTENT_LENGTH).put(length).put(CRLF);
        }
        b.put(connection);
        if (bodyBytes > 0) {
            b.put(response.body());
        }
        return b.flip();
    }

    /** 503 with {@code Retry-After: 1}; the connection stays open. */
    @Override
    public HttpResponse overloaded() {
        return HttpResponse.text(503, "overloaded\n").header("Retry-After", "1");
    }

    @Override
    public HttpResponse error(Exception failure) {
        if (failure instanceof HttpException e) {
            return HttpResponse.text(e.status(), e.getMessage() + "\n");
        }
        if (failure instanceof SocketTimeoutException) {
            return HttpResponse.text(408, "408 the request took too long\n");
        }
        if (failure instanceof EOFException) {
            return null; // the client went away mid-request
        }
        return HttpResponse.text(400, "400 malformed request\n");
    }

    /** 500 whatever the service threw; the message is not sent (it may hold internals). */
    @Override
    public HttpResponse serviceFailed(Exception failure) {
        return HttpResponse.text(500, "500 internal server error\n");
    }
}
