package io.github.hilos.server.examples;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.OneDispatcherServer;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;
import org.junit.jupiter.api.Test;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A response that ends its connection is delivered whole even when the client sent more bytes after its request:
 * the server drains them before it closes, since closing with unread input resets the connection and the kernel
 * drops the response's bytes still in flight.
 */
class DrainOnCloseTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void aClosingResponseSurvivesLateClientBytes(@TempDir Path root) throws Exception {
        int size = 8 << 20;
        Files.write(root.resolve("big.bin"), new byte[size]);
        try (StrandRuntime rt = Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "2"));
             StrandServer<HttpRequest, HttpResponse> blocking = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), new StaticFiles(root, 1L << 30));
             OneDispatcherServer<HttpRequest, HttpResponse> nonBlocking = OneDispatcherServer.start(rt, ANY,
                     HttpCodec.strict(), new StaticFiles(root, 1L << 30), 2, 16, ServerLimits.DEFAULTS)) {
            for (SocketAddress a : List.of(blocking.localAddress(), nonBlocking.localAddress())) {
                for (int round = 0; round < 3; round++) {
                    assertEquals(size, bodyAfterLateBytes(a), "through " + a + ", round " + round);
                }
            }
        }
    }

    /** Sends the request with Connection: close, then 64 KiB more, waits, and reads the whole response body. */
    static long bodyAfterLateBytes(SocketAddress a) throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(a, 10_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /big.bin HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[64 * 1024]); // late bytes the server never reads as a request
            out.flush();
            Thread.sleep(300); // the server writes what the socket takes, then (without draining) would close
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int headerEnd = -1;
            StringBuilder head = new StringBuilder();
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    int from = 0;
                    if (headerEnd < 0) {
                        head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        int end = head.indexOf("\r\n\r\n");
                        if (end < 0) {
                            continue;
                        }
                        headerEnd = end;
                        from = n - (head.length() - end - 4);
                    }
                    total += n - from;
                }
            } catch (java.net.SocketException reset) {
                // a reset: the body is cut short, which the assertion reports
            }
            return total;
        }
    }
}
