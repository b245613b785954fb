package io.github.hilos.server.http;

import io.github.hilos.net.StrandSocket;
import io.github.hilos.server.Codec;
import io.github.hilos.server.MemoryBudget;
import io.github.hilos.server.FileRegion;
import io.github.hilos.server.FileStreaming;
import io.github.hilos.server.FrameReader;

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

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
            "PATCH");
    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Empty lines tolerated before a request line (RFC 9112 2.2 asks for at least one). */
    static final int LEADING_EMPTY_LINES = 2;
    static final int MAX_CHUNK_LINE = 4096;

    private final HttpLimits limits;
    private final MemoryBudget budget;

    private HttpCodec(HttpLimits limits, MemoryBudget budget) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /**
     * The strict codec with the default limits.
     *
     * @return the codec
     */
    public static HttpCodec strict() {
        return new HttpCodec(HttpLimits.DEFAULTS, MemoryBudget.shared());
    }

    /**
     * The strict codec with the given limits.
     *
     * @param limits the limits
     * @return the codec
     */
    public static HttpCodec strict(HttpLimits limits) {
        return new HttpCodec(limits, MemoryBudget.shared());
    }

    /**
     * The strict codec with the given limits and memory budget for request bodies in progress (the default is
     * {@link MemoryBudget#shared()}, 1/64 of the heap): a body that would take the budget past its size is
     * answered {@code 503} and its connection closed.
     *
     * @param limits the limits
     * @param budget the budget, shared by every connection decoded with this codec
     * @return the codec
     */
    public static HttpCodec strict(HttpLimits limits, MemoryBudget budget) {
        return new HttpCodec(limits, budget);
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
        HttpDecoder decoder = new HttpDecoder(limits, budget);
        try {
            return read(in, decoder);
        } catch (IOException | RuntimeException | Error failed) {
            decoder.release(); // a request that will not complete gives its memory back
            throw failed;
        }
    }

    private HttpRequest read(FrameReader in, HttpDecoder decoder) throws IOException {
        boolean bodyDeadline = false;
        for (;;) {
            HttpRequest request = decoder.decode(in.buffered());
            if (request != null) {
                return request;
            }
            ByteBuffer interim = decoder.interim();
            if (interim != null) {
                in.writeInterim(interim);
            }
            if (decoder.inBody() && !bodyDeadline) {
                in.deadline(limits.bodyTimeout()); // the body has a deadline of its own
                bodyDeadline = true;
            }
            if (!in.fillMore()) {
                if (!decoder.started()) {
                    return null; // a clean end between requests
                }
                throw new EOFException("end of stream inside a request");
            }
        }
    }

    /**
     * A resumable parser of this codec's requests, for a server that feeds it bytes as they arrive (the state-table
     * server): total work linear in a request's size however it is split, and {@code 100 Continue} through
     * {@link Codec.Decoder#interim()}.
     *
     * @return a decoder for one connection
     */
    @Override
    public Codec.Decoder<HttpRequest> decoder() {
        return new HttpDecoder(limits, budget);
    }

    /** The text of a line that must end in CR (its LF is gone) and hold no other CR. */
    static String crlfLine(String raw) throws HttpException {
        int cr = raw.indexOf('\r');
        if (cr != raw.length() - 1 || cr < 0) {
            throw bad(cr < 0 ? "bare LF: lines end with CRLF" : "CR inside a line");
        }
        return raw.substring(0, cr);
    }

    static void checkTarget(String target) throws HttpException {
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

    static void checkTargetForm(String target) throws HttpException {
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

    static void checkHost(String host) throws HttpException {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 128 || !HOST_CHARS[c]) {
                throw bad("Host has a character outside a host and port");
            }
        }
    }

    /** True when the body is chunked; otherwise throws (chunked must be last, and only once). */
    static boolean checkCodings(java.util.List<String> fields) throws HttpException {
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

    static long contentLength(java.util.List<String> fields) throws HttpException {
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

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static HttpException bad(String reason) {
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
