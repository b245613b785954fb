package io.github.hilos.server.http;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Codecs;
import io.github.hilos.server.OneDispatcherServer;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.StateMachine;
import io.github.hilos.server.StateTableServer;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.server.examples.StatefulFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one hostile client must not do to a server: make it buffer far more than a request's limits, end its loop
 * with an {@code Error}, learn its exceptions' text, or run it out of file descriptors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientsTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final String OK = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

    StrandRuntime runtime;

    @BeforeAll
    void open() {
        runtime = Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "2"));
    }

    @AfterAll
    void close() {
        runtime.close();
    }

    static String chunkExtensionFlood() {
        // 100 chunk lines of 4 KiB extensions: 400 KiB of framing for a 100-byte body
        return "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + ("1;ext=" + "e".repeat(4000) + "\r\nA\r\n").repeat(100) + "0\r\n\r\n";
    }

    @Test
    void chunkExtensionsCountTowardTheLimitsOnTheNonBlockingServers() throws Exception {
        HttpCodec codec = HttpCodec.strict();
        assertTrue(codec.maxRequestBytes() < 2 << 20, "a request's wire size is bounded: " + codec.maxRequestBytes());
        try (StateTableServer<HttpRequest, HttpResponse> table = StateTableServer.start(runtime, ANY, codec,
                StateMachine.immediate(r -> HttpResponse.ok("fine")));
             OneDispatcherServer<HttpRequest, HttpResponse> one = OneDispatcherServer.start(runtime, ANY, codec,
                     r -> HttpResponse.ok("fine"), 2, 16, ServerLimits.DEFAULTS)) {
            for (SocketAddress address : java.util.List.of(table.localAddress(), one.localAddress())) {
                RawHttp.Exchange e = RawHttp.exchange(address, chunkExtensionFlood().getBytes(StandardCharsets.ISO_8859_1),
                        1, false);
                assertEquals(413, e.only().status(), e.only().bodyText());
                assertEquals(200, RawHttp.exchange(address, OK).only().status(), "the server goes on");
            }
        }
    }

    @Test
    void anErrorInOneConnectionClosesItAndTheStateTableLoopGoesOn() throws Exception {
        StateMachine<HttpRequest, HttpResponse> machine = new StateMachine<>() {
            @Override
            public Transition<HttpResponse> start(long id, HttpRequest request) {
                if (request.path().equals("/boom")) {
                    throw new StackOverflowError("an Error from the machine (expected by the test)");
                }
                return Transition.reply(HttpResponse.ok("fine"));
            }

            @Override
            public Transition<HttpResponse> resume(long id, Object state, Object result, Throwable failure) {
                throw new IllegalStateException("not used");
            }
        };
        try (StateTableServer<HttpRequest, HttpResponse> server = StateTableServer.start(runtime, ANY,
                HttpCodec.strict(), machine)) {
            assertEquals(500, RawHttp.exchange(server.localAddress(), "GET /boom HTTP/1.1\r\nHost: a\r\n\r\n")
                    .only().status(), "an Error in the machine fails the request, which gets an answer");
            assertEquals(200, RawHttp.exchange(server.localAddress(), OK).only().status(), "the loop survived");
        }
    }

    static String ask(Socket s, String line) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("closed after " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void aLineClientNeverSeesTheServicesExceptionAndABrokenAnswerIsRefusedCleanly() throws Exception {
        try (StrandServer<String, String> server = ThreadPerConnectionServer.start(runtime, ANY, Codecs.lines(256),
                line -> switch (line) {
                    case "boom" -> throw new IllegalStateException("bug in my service: BOOM at /srv/secret");
                    case "crlf" -> "two\r\nlines";
                    default -> "echo " + line;
                })) {
            try (Socket s = new Socket()) {
                s.connect(server.localAddress(), 10_000);
                s.setSoTimeout(10_000);
                assertEquals("ERR internal error", ask(s, "crlf"), "a line break in an answer is refused");
                assertEquals("echo still-here", ask(s, "still-here"), "and the connection goes on");
                assertEquals("ERR internal error", ask(s, "boom"));
            }
        }
    }

    @Test
    void statefulFilesCapsOpenFilesServerWideAndRefusesSeeksPastTheEnd(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f.txt"), "0123456789");
        try (StrandServer<String, String> server = io.github.hilos.server.DispatcherWorkerServer.start(runtime, ANY,
                Codecs.lines(256), new StatefulFiles(dir, 3), 4, 64);
             Socket a = new Socket(); Socket b = new Socket()) {
            a.connect(server.localAddress(), 10_000);
            b.connect(server.localAddress(), 10_000);
            a.setSoTimeout(10_000);
            b.setSoTimeout(10_000);
            assertEquals("OK 1", ask(a, "OPEN f.txt"));
            assertEquals("OK 2", ask(a, "OPEN f.txt"));
            assertEquals("OK 1", ask(b, "OPEN f.txt"));
            assertTrue(ask(b, "OPEN f.txt").startsWith("ERR the server has too many open files (3)"),
                    "the fourth file on the server, from another connection");
            assertEquals("OK", ask(a, "CLOSE 2"));
            assertEquals("OK 2", ask(b, "OPEN f.txt"), "room again after a CLOSE");
            assertTrue(ask(b, "SEEK 1 11").startsWith("ERR position 11 is beyond the end of the file (10 bytes)"));
            assertEquals("OK 10", ask(b, "SEEK 1 10"));
            assertEquals("EOF", ask(b, "READ 1 5"), "the connection goes on after a refused seek");
        }
    }
}
