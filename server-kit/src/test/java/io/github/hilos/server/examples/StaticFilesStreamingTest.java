package io.github.hilos.server.examples;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.OneDispatcherServer;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpHeaders;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@code StaticFiles} streams: a response holds a file region, never the file's bytes (so neither HEAD, nor a
 * range, nor a client that reads slowly costs memory in proportion to the file), and the bytes arrive intact
 * through the blocking and the non-blocking organizations. Paths that cannot name a file get 404, and so do
 * dotfiles.
 */
class StaticFilesStreamingTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static HttpRequest request(String method, String target, String range) {
        HttpHeaders h = range == null ? HttpHeaders.of("Host", "h") : HttpHeaders.of("Host", "h").with("Range", range);
        return new HttpRequest(method, target, "HTTP/1.1", h, new byte[0]);
    }

    @Test
    void responsesCarryAFileRegionNotTheFilesBytes(@TempDir Path root) throws Exception {
        Files.write(root.resolve("big.bin"), new byte[8 << 20]);
        StaticFiles files = new StaticFiles(root, 1L << 30);
        try (StrandRuntime rt = Runtimes.open("ult")) {
            for (HttpRequest r : List.of(request("GET", "/big.bin", null), request("HEAD", "/big.bin", null),
                    request("GET", "/big.bin", "bytes=0-0"))) {
                HttpResponse response = rt.run(() -> files.handle(r));
                assertEquals(0, response.body().length, "no bytes in memory for " + r.method() + " " + r.headers());
                assertNotNull(response.file());
            }
            HttpResponse first = rt.run(() -> files.handle(request("GET", "/big.bin", "bytes=0-0")));
            assertEquals(206, first.status());
            assertEquals(1, first.bodyLength());
        }
    }

    @Test
    void largeFilesArriveIntactThroughEveryKindOfServer(@TempDir Path root) throws Exception {
        byte[] content = new byte[(6 << 20) + 12345];
        new Random(7).nextBytes(content);
        Files.write(root.resolve("big.bin"), content);
        String expected = sha256(content);
        try (StrandRuntime rt = Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "2"));
             StrandServer<HttpRequest, HttpResponse> blocking = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), new StaticFiles(root, 1L << 30));
             OneDispatcherServer<HttpRequest, HttpResponse> nonBlocking = OneDispatcherServer.start(rt, ANY,
                     HttpCodec.strict(), new StaticFiles(root, 1L << 30), 2, 16, ServerLimits.DEFAULTS)) {
            for (SocketAddress a : List.of(blocking.localAddress(), nonBlocking.localAddress())) {
                byte[] body = download(a, "GET /big.bin", null);
                assertEquals(content.length, body.length, "through " + a);
                assertEquals(expected, sha256(body), "through " + a);
                assertEquals(0, download(a, "HEAD /big.bin", null).length);
                byte[] part = download(a, "GET /big.bin", "bytes=1000-1999");
                assertEquals(sha256(java.util.Arrays.copyOfRange(content, 1000, 2000)), sha256(part));
            }
        }
    }

    @Test
    void pathsThatNameNoFileAndDotfilesGet404(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "a");
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "x");
        Files.createSymbolicLink(root.resolve("loop1"), root.resolve("loop2"));
        Files.createSymbolicLink(root.resolve("loop2"), root.resolve("loop1"));
        try (StrandRuntime rt = Runtimes.open("ult");
             StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), new StaticFiles(root, 1 << 20));
             StrandServer<HttpRequest, HttpResponse> withDots = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), new StaticFiles(root, 1 << 20, true))) {
            SocketAddress a = server.localAddress();
            for (String target : List.of("/a.txt/b", "/loop1", "/" + "n".repeat(300), "/.env", "/.git/config",
                    "/%2eenv")) {
                assertEquals(404, status(a, "GET " + target), target);
            }
            assertEquals(200, status(withDots.localAddress(), "GET /.env"), "dotfiles when enabled");
        }
    }

    static int status(SocketAddress a, String requestLine) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(a, 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(all.substring(9, 12));
        }
    }

    /** The body of one exchange (Connection: close, so the body runs to the end of the stream). */
    static byte[] download(SocketAddress a, String requestLine, String range) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(a, 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
                    + (range == null ? "" : "Range: " + range + "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            int head = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return java.util.Arrays.copyOfRange(all, head + 4, all.length);
        }
    }

    static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no header end");
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
