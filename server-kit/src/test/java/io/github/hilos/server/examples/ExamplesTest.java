package io.github.hilos.server.examples;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Codecs;
import io.github.hilos.server.DispatcherWorkerServer;
import io.github.hilos.server.IterativeServer;
import io.github.hilos.server.OneDispatcherServer;
import io.github.hilos.server.StateMachine;
import io.github.hilos.server.StateTableServer;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example servers, under every organization that fits them and every runtime, with real clients. */
class ExamplesTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static Stream<Arguments> organizationsAndRuntimes() {
        List<Arguments> all = new ArrayList<>();
        for (String org : List.of("iterative", "thread-per-connection", "dispatcher-worker", "one-dispatcher",
                "state-table")) {
            for (String rt : List.of("klt", "jdk-virtual", "ult", "hybrid")) {
                all.add(Arguments.of(org, rt));
            }
        }
        return all.stream();
    }

    static StrandRuntime open(String name) {
        return name.equals("hybrid") ? Runtimes.open(name, RuntimeOptions.defaults().with("carriers", "2"))
                : Runtimes.open(name);
    }

    /** A server of either kind, closable, with its address. */
    record Running(SocketAddress address, AutoCloseable server) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Running hello(String org, StrandRuntime rt) throws Exception {
        HttpCodec codec = HttpCodec.strict();
        if (org.equals("one-dispatcher")) {
            OneDispatcherServer<HttpRequest, HttpResponse> s = OneDispatcherServer.start(rt, ANY, codec,
                    Examples.helloHttp(), 4, 256, io.github.hilos.server.ServerLimits.DEFAULTS);
            return new Running(s.localAddress(), s);
        }
        if (org.equals("state-table")) {
            StateTableServer<HttpRequest, HttpResponse> s = StateTableServer.start(rt, ANY, codec,
                    StateMachine.immediate(Examples.helloHttp()));
            return new Running(s.localAddress(), s);
        }
        StrandServer<HttpRequest, HttpResponse> s = switch (org) {
            case "iterative" -> IterativeServer.start(rt, ANY, codec, Examples.helloHttp());
            case "thread-per-connection" -> ThreadPerConnectionServer.start(rt, ANY, codec, Examples.helloHttp());
            case "dispatcher-worker" -> DispatcherWorkerServer.start(rt, ANY, codec, Examples.helloHttp(), 4, 256);
            default -> throw new IllegalArgumentException(org);
        };
        return new Running(s.localAddress(), s);
    }

    static URI uri(SocketAddress a, String path) {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) a).getPort() + path);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("organizationsAndRuntimes")
    void httpHelloAnswersTheJdkHttpClientConcurrently(String org, String runtime) throws Exception {
        try (StrandRuntime rt = open(runtime); Running server = hello(org, rt);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<java.net.http.HttpResponse<String>>> all = new ArrayList<>();
            String[] methods = {"GET", "HEAD", "POST", "PUT", "DELETE"};
            for (int i = 0; i < 40; i++) {
                String m = methods[i % methods.length];
                java.net.http.HttpRequest.BodyPublisher body = m.equals("POST") || m.equals("PUT")
                        ? java.net.http.HttpRequest.BodyPublishers.ofString("payload " + i)
                        : java.net.http.HttpRequest.BodyPublishers.noBody();
                all.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(uri(server.address(), "/p/" + i))
                        .method(m, body).timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString()));
            }
            for (int i = 0; i < all.size(); i++) {
                java.net.http.HttpResponse<String> r = all.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals(methods[i % methods.length].equals("HEAD") ? "" : "Hello, World!\n", r.body());
            }
        }
    }

    @Test
    void curlGetsHelloWhenCurlIsInstalled() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        try (StrandRuntime rt = open("ult"); Running server = hello("thread-per-connection", rt)) {
            Process curl = new ProcessBuilder("/usr/bin/curl", "-s", "-S", "-X", "POST", "--data", "some body",
                    uri(server.address(), "/x").toString(), uri(server.address(), "/y").toString())
                    .redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, curl.exitValue(), out);
            assertEquals("Hello, World!\nHello, World!\n", out, "two requests on one kept-alive connection");
        }
    }

    @Test
    void staticFilesServesTheRootAndRefusesTraversal(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "0123456789");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<p>index</p>");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        try (StrandRuntime rt = open("ult");
             StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), new StaticFiles(root, 1 << 20))) {
            SocketAddress a = server.localAddress();
            assertEquals("200 text/plain; charset=utf-8 0123456789", get(a, "GET /a.txt", null));
            assertEquals("200 text/html; charset=utf-8 <p>index</p>", get(a, "GET /sub/", null));
            assertEquals("206 text/plain; charset=utf-8 234", get(a, "GET /a.txt", "bytes=2-4"));
            assertEquals("206 text/plain; charset=utf-8 789", get(a, "GET /a.txt", "bytes=-3"));
            assertEquals(416, status(get(a, "GET /a.txt", "bytes=50-")));
            assertEquals(404, status(get(a, "GET /missing", null)));
            assertEquals(403, status(get(a, "GET /empty/", null)), "no directory listings");
            for (String evil : List.of("/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
                    "/%2E%2E%2Fsecret.txt", "/escape.txt", "/a.txt%00.html", "/..%5csecret.txt")) {
                assertEquals(403, status(get(a, "GET " + evil, null)), evil);
            }
            assertEquals(405, status(get(a, "POST /a.txt", null)));
        }
    }

    static int status(String s) {
        return Integer.parseInt(s.substring(0, 3));
    }

    /** "status content-type body" of one request. */
    static String get(SocketAddress a, String requestLine, String range) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(a, 10_000);
            s.setSoTimeout(10_000);
            String req = requestLine + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
                    + (range == null ? "" : "Range: " + range + "\r\n") + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            String type = "";
            for (String line : all.substring(0, all.indexOf("\r\n\r\n")).split("\r\n")) {
                if (line.startsWith("Content-Type: ")) {
                    type = line.substring(14);
                }
            }
            return status + " " + type + " " + all.substring(all.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void statefulFilesKeepsAPerClientTableThatARestartLoses(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f.txt"), "hello stateful world");
        try (StrandRuntime rt = open("hybrid")) {
            SocketAddress address;
            try (StrandServer<String, String> server = DispatcherWorkerServer.start(rt, ANY, Codecs.lines(256),
                    new StatefulFiles(dir), 4, 64)) {
                address = server.localAddress();
                try (Socket a = new Socket(); Socket b = new Socket()) {
                    a.connect(address, 10_000);
                    b.connect(address, 10_000);
                    assertEquals("OK 1", ask(a, "OPEN f.txt"));
                    assertEquals("DATA " + b64("hello"), ask(a, "READ 1 5"));
                    assertEquals("ERR no open file 1 (handles live as long as their connection; OPEN again)",
                            ask(b, "READ 1 5"), "another client's table is its own");
                    assertEquals("OK 6", ask(a, "SEEK 1 6"));
                    assertEquals("DATA " + b64("stateful"), ask(a, "READ 1 8"));
                    assertEquals("OK 14", ask(a, "SEEK 1 14"));
                    assertEquals("DATA " + b64(" world"), ask(a, "READ 1 100"));
                    assertEquals("EOF", ask(a, "READ 1 100"));
                    assertEquals("ERR outside the root", ask(a, "OPEN ../etc/passwd"));
                    assertEquals("OK", ask(a, "CLOSE 1"));
                    assertTrue(ask(a, "READ 1 1").startsWith("ERR no open file 1"));
                    assertEquals("OK 2", ask(a, "OPEN f.txt"));
                }
            }
            // "restart": a new server; the client's handle 2 means nothing there
            try (StrandServer<String, String> restarted = DispatcherWorkerServer.start(rt, ANY, Codecs.lines(256),
                    new StatefulFiles(dir), 4, 64); Socket a = new Socket()) {
                a.connect(restarted.localAddress(), 10_000);
                assertTrue(ask(a, "READ 2 5").startsWith("ERR no open file 2"));
            }
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String ask(Socket s, String line) throws Exception {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder b = new StringBuilder();
        for (int c = s.getInputStream().read(); c != '\n'; c = s.getInputStream().read()) {
            if (c < 0) {
                throw new java.io.EOFException("closed after " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void echoUnderTheStateTable() throws Exception {
        try (StrandRuntime rt = open("ult");
             StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(64),
                     StateMachine.immediate(Examples.echo()));
             Socket s = new Socket()) {
            s.connect(server.localAddress(), 10_000);
            assertEquals("hi there", ask(s, "hi there"));
        }
    }
}
