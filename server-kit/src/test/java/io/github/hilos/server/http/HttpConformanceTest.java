package io.github.hilos.server.http;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strict HTTP/1.1 codec against malformed and smuggling requests (the classes behind the HTTP/1.1 CVEs of
 * Netty, Jetty and Undertow), each with its expected status and a closed connection; then the server must still
 * answer a valid request. The table runs on the hybrid runtime; {@link #everyRuntimeRefusesAndRecovers} runs a
 * sample of it on every runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpConformanceTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final String OK = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    static final String CLOSE = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

    record Case(String name, String request, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String repeat(String s, int n) {
        return s.repeat(n);
    }

    static Stream<Case> malformed() {
        String h = "Host: a\r\n";
        List<Case> c = new ArrayList<>();
        // line endings
        c.add(new Case("bare LF after the request line", "GET / HTTP/1.1\n" + h + "\r\n", 400));
        c.add(new Case("bare LF after a field", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400));
        c.add(new Case("bare LF ending the header block", "GET / HTTP/1.1\r\n" + h + "\n", 400));
        c.add(new Case("CR inside a value", "GET / HTTP/1.1\r\n" + h + "X: a\rb\r\n\r\n", 400));
        c.add(new Case("three empty lines before the request", "\r\n\r\n\r\n" + OK, 400));
        // request line
        c.add(new Case("two spaces after the method", "GET  / HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("tab as a separator", "GET\t/ HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("no version", "GET /\r\n" + h + "\r\n", 400));
        c.add(new Case("space after the version", "GET / HTTP/1.1 \r\n" + h + "\r\n", 400));
        c.add(new Case("lower-case version", "GET / http/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("version with extra characters", "GET / HTTP/1.10\r\n" + h + "\r\n", 400));
        c.add(new Case("HTTP/2.0 over HTTP/1 framing", "GET / HTTP/2.0\r\n" + h + "\r\n", 505));
        c.add(new Case("HTTP/0.9", "GET / HTTP/0.9\r\n" + h + "\r\n", 505));
        c.add(new Case("HTTP/1.2", "GET / HTTP/1.2\r\n" + h + "\r\n", 505));
        c.add(new Case("unknown method", "BREW / HTTP/1.1\r\n" + h + "\r\n", 501));
        c.add(new Case("CONNECT", "CONNECT a:443 HTTP/1.1\r\n" + h + "\r\n", 501));
        c.add(new Case("method that is not a token", "G(T / HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("control character in the target", "GET /a\u0001b HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("non-ASCII target", "GET /caf\u00e9 HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("fragment in the target", "GET /a#b HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("target in no known form", "GET abc HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("'*' with GET", "GET * HTTP/1.1\r\n" + h + "\r\n", 400));
        c.add(new Case("request line over 8 KiB", "GET /" + repeat("a", 9000) + " HTTP/1.1\r\n" + h + "\r\n", 414));
        // header fields
        c.add(new Case("header block over 16 KiB", "GET / HTTP/1.1\r\n" + h + "X: " + repeat("b", 17000) + "\r\n\r\n",
                431));
        c.add(new Case("101 fields", "GET / HTTP/1.1\r\n" + h + repeat("X: y\r\n", 100) + "\r\n", 431));
        c.add(new Case("whitespace before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400));
        c.add(new Case("obs-fold", "GET / HTTP/1.1\r\n" + h + "X: a\r\n  b\r\n\r\n", 400));
        c.add(new Case("empty field name", "GET / HTTP/1.1\r\n" + h + ": a\r\n\r\n", 400));
        c.add(new Case("field without a colon", "GET / HTTP/1.1\r\n" + h + "Xyz\r\n\r\n", 400));
        c.add(new Case("NUL in a value", "GET / HTTP/1.1\r\n" + h + "X: a\u0000b\r\n\r\n", 400));
        c.add(new Case("control character in a name", "GET / HTTP/1.1\r\n" + h + "X\u0001: a\r\n\r\n", 400));
        c.add(new Case("DEL in a value", "GET / HTTP/1.1\r\n" + h + "X: a\u007fb\r\n\r\n", 400));
        c.add(new Case("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400));
        c.add(new Case("repeated Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400));
        c.add(new Case("Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400));
        // body framing: the smuggling classes
        c.add(new Case("Content-Length with Transfer-Encoding",
                "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        c.add(new Case("differing Content-Length fields",
                "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400));
        c.add(new Case("differing Content-Length list", "POST / HTTP/1.1\r\n" + h + "Content-Length: 5, 6\r\n\r\nhello!",
                400));
        c.add(new Case("negative Content-Length", "POST / HTTP/1.1\r\n" + h + "Content-Length: -1\r\n\r\n", 400));
        c.add(new Case("Content-Length with a plus sign", "POST / HTTP/1.1\r\n" + h + "Content-Length: +5\r\n\r\nhello",
                400));
        c.add(new Case("Content-Length overflow",
                "POST / HTTP/1.1\r\n" + h + "Content-Length: 99999999999999999999\r\n\r\n", 400));
        c.add(new Case("hexadecimal Content-Length", "POST / HTTP/1.1\r\n" + h + "Content-Length: 0x5\r\n\r\nhello",
                400));
        c.add(new Case("empty Content-Length", "POST / HTTP/1.1\r\n" + h + "Content-Length:\r\n\r\n", 400));
        c.add(new Case("Content-Length with an inner space", "POST / HTTP/1.1\r\n" + h + "Content-Length: 1 0\r\n\r\n",
                400));
        c.add(new Case("Content-Length over the body limit",
                "POST / HTTP/1.1\r\n" + h + "Content-Length: 2000000\r\n\r\n", 413));
        c.add(new Case("Transfer-Encoding in HTTP/1.0",
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        c.add(new Case("last coding not chunked", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, identity\r\n\r\n",
                400));
        c.add(new Case("Transfer-Encoding gzip alone", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\n", 400));
        c.add(new Case("chunked twice", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
                400));
        c.add(new Case("chunked in one field, identity in the next",
                "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n", 400));
        c.add(new Case("coding that is not a token",
                "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 400));
        c.add(new Case("vertical tab after chunked",
                "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\u000b\r\n\r\n0\r\n\r\n", 400));
        c.add(new Case("gzip then chunked (unsupported coding)",
                "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501));
        String chunked = "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n";
        c.add(new Case("chunk size overflow", chunked + "FFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("chunk size not hexadecimal", chunked + "zz\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("chunk size with 0x", chunked + "0x5\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("negative chunk size", chunked + "-5\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("chunk data not followed by CRLF", chunked + "5\r\nhelloXX0\r\n\r\n", 400));
        c.add(new Case("chunk line ended by a bare LF", chunked + "5\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("bare LF inside a chunk extension", chunked + "5;a\nb\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("unterminated quoted chunk extension", chunked + "5;a=\"x\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("control character in a chunk extension", chunked + "5;a=\u0001\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("chunk extension without a name", chunked + "5;=x\r\nhello\r\n0\r\n\r\n", 400));
        c.add(new Case("obs-fold in the trailers", chunked + "5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n", 400));
        c.add(new Case("chunked body over the limit", chunked + "200000\r\n", 413));
        c.add(new Case("chunk size that overflows the body's running total",
                chunked + "1\r\nA\r\n7fffffffffffffff\r\n", 413));
        c.add(new Case("empty Transfer-Encoding member before chunked",
                "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n", 400));
        c.add(new Case("empty Transfer-Encoding line before chunked",
                "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        c.add(new Case("chunk extensions over the framing budget (16 KiB)",
                chunked + ("1;ext=" + "e".repeat(4000) + "\r\nA\r\n").repeat(5) + "0\r\n\r\n", 413));
        c.add(new Case("many tiny chunks over the framing budget",
                chunked + "1\r\nA\r\n".repeat(4000) + "0\r\n\r\n", 413));
        c.add(new Case("unsupported expectation", "POST / HTTP/1.1\r\n" + h + "Expect: 200-ok\r\nContent-Length: 1\r\n\r\nx",
                417));
        return c.stream();
    }

    StrandRuntime runtime;
    StrandServer<HttpRequest, HttpResponse> server;

    static HttpResponse describe(HttpRequest r) {
        return HttpResponse.ok(r.method() + " " + r.path() + " " + r.body().length + " "
                + new String(r.body(), StandardCharsets.ISO_8859_1));
    }

    @BeforeAll
    void start() throws Exception {
        runtime = Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "2"));
        server = ThreadPerConnectionServer.start(runtime, ANY, HttpCodec.strict(), HttpConformanceTest::describe,
                ServerLimits.DEFAULTS);
    }

    @AfterAll
    void stop() {
        server.close();
        runtime.close();
    }

    @Test
    void theTableHasAtLeastFortyCases() {
        assertTrue(malformed().count() >= 40, "cases: " + malformed().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusedWithItsStatusAndTheConnectionClosed(Case c) throws Exception {
        RawHttp.Exchange e = RawHttp.exchange(server.localAddress(),
                (c.request() + OK).getBytes(StandardCharsets.ISO_8859_1), 2, false);
        assertEquals(1, e.responses().size(), "one response, then nothing: " + e.responses());
        assertEquals(c.status(), e.only().status(), e.only().bodyText());
        assertEquals("close", e.only().header("Connection"));
        assertTrue(e.closed(), "the connection is closed after an error");
        // the server goes on
        assertEquals(200, RawHttp.exchange(server.localAddress(), OK + CLOSE).only().status());
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        String pipelined = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=\"q\\\"x\"\r\nabc\r\n2 ; e = v\r\nde\r\n0\r\nTrailer: t\r\n\r\n"
                + "GET /four HTTP/1.1\r\nHost: a\r\n\r\n";
        RawHttp.Exchange e = RawHttp.exchange(server.localAddress(), pipelined.getBytes(StandardCharsets.ISO_8859_1),
                4, false);
        List<String> bodies = e.responses().stream().map(RawHttp.Response::bodyText).toList();
        assertEquals(List.of("GET /one 0 ", "POST /two 5 hello", "POST /three 5 abcde", "GET /four 0 "), bodies);
        assertFalse(e.closed(), "HTTP/1.1 keeps the connection");
    }

    @Test
    void headGetsTheLengthWithoutTheBody() throws Exception {
        try (var s = RawHttp.connect(server.localAddress())) {
            s.getOutputStream().write(("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n" + OK).getBytes(StandardCharsets.US_ASCII));
            RawHttp.Response head = RawHttp.read(s.getInputStream(), true);
            assertEquals(200, head.status());
            assertEquals(String.valueOf("HEAD /x 0 ".length()), head.header("Content-Length"));
            RawHttp.Response next = RawHttp.read(s.getInputStream(), false);
            assertEquals("GET / 0 ", next.bodyText(), "no body bytes between the HEAD response and the next");
        }
    }

    @Test
    void expectContinueGetsAnInterimResponseBeforeTheBodyIsSent() throws Exception {
        try (var s = RawHttp.connect(server.localAddress())) {
            s.getOutputStream().write("PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] interim = s.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.US_ASCII));
            s.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
            assertEquals("PUT /e 3 abc", RawHttp.read(s.getInputStream(), false).bodyText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.0\r\n\r\n",
        "GET http://a/abs?q=1 HTTP/1.1\r\nHost: a\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a:8080\r\nX-Empty:\r\nX-Obs-Text: caf\u00e9\r\n\r\n",
    })
    void validRequestsAreServed(String request) throws Exception {
        RawHttp.Exchange e = RawHttp.exchange(server.localAddress(),
                (request + CLOSE).getBytes(StandardCharsets.ISO_8859_1), 2, false);
        assertEquals(200, e.responses().get(0).status(), e.responses().get(0).bodyText());
    }

    @Test
    void absoluteFormTargetsGiveTheirPathWhateverTheSchemeCase() throws Exception {
        RawHttp.Exchange e = RawHttp.exchange(server.localAddress(),
                "GET HTTP://a/abs?q=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertEquals("GET /abs 0 ", e.only().bodyText());
    }

    @Test
    void http10IsClosedUnlessItAsksForKeepAlive() throws Exception {
        assertTrue(RawHttp.exchange(server.localAddress(), "GET / HTTP/1.0\r\n\r\n").closed());
        RawHttp.Exchange kept = RawHttp.exchange(server.localAddress(),
                "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertEquals("keep-alive", kept.only().header("Connection"));
        assertFalse(kept.closed());
        RawHttp.Exchange closed = RawHttp.exchange(server.localAddress(),
                "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertEquals("close", closed.only().header("Connection"));
        assertTrue(closed.closed());
    }

    @Test
    void aFailingServiceGets500AndTheServerGoesOn() throws Exception {
        try (StrandServer<HttpRequest, HttpResponse> failing = ThreadPerConnectionServer.start(runtime, ANY,
                HttpCodec.strict(), r -> {
                    if (r.path().equals("/boom")) {
                        throw new IllegalStateException("secret internals");
                    }
                    return HttpResponse.ok("fine");
                })) {
            RawHttp.Exchange e = RawHttp.exchange(failing.localAddress(), "GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(500, e.only().status());
            assertFalse(e.only().bodyText().contains("secret"), "internals are not sent");
            assertTrue(e.closed());
            assertEquals("fine", RawHttp.exchange(failing.localAddress(), CLOSE).only().bodyText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual", "ult", "hybrid"})
    void everyRuntimeRefusesAndRecovers(String name) throws Exception {
        try (StrandRuntime rt = Runtimes.open(name);
             StrandServer<HttpRequest, HttpResponse> s = ThreadPerConnectionServer.start(rt, ANY, HttpCodec.strict(),
                     HttpConformanceTest::describe)) {
            for (Case c : malformed().filter(c -> c.name().contains("smuggl") || c.name().contains("Content-Length")
                    || c.name().contains("bare LF")).toList()) {
                RawHttp.Exchange e = RawHttp.exchange(s.localAddress(), c.request());
                assertEquals(c.status(), e.only().status(), c.name());
                assertTrue(e.closed(), c.name());
            }
            assertEquals(200, RawHttp.exchange(s.localAddress(), CLOSE).only().status());
        }
    }
}
