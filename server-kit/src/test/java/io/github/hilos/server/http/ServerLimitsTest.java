package io.github.hilos.server.http;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.DispatcherWorkerServer;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.ShutdownReport;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.github.hilos.server.http.HttpConformanceTest.ANY;
import static io.github.hilos.server.http.HttpConformanceTest.CLOSE;
import static io.github.hilos.server.http.HttpConformanceTest.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timeouts, connection caps and graceful shutdown, on every runtime, with real sockets. */
class ServerLimitsTest {

    static StrandRuntime open(String name) {
        return name.equals("hybrid") ? Runtimes.open(name, RuntimeOptions.defaults().with("carriers", "2"))
                : Runtimes.open(name);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ult", "state-table"})
    void stalledBodiesCannotTakeMoreThanTheMemoryBudget(String organization) throws Exception {
        io.github.hilos.server.MemoryBudget budget = io.github.hilos.server.MemoryBudget.ofBytes(100_000);
        HttpCodec codec = HttpCodec.strict(HttpLimits.DEFAULTS, budget);
        try (StrandRuntime rt = open("ult");
             io.github.hilos.server.Server server = organization.equals("state-table")
                     ? io.github.hilos.server.StateTableServer.start(rt, ANY, codec,
                             io.github.hilos.server.StateMachine.immediate(r -> HttpResponse.ok("got "
                                     + r.body().length)))
                     : ThreadPerConnectionServer.start(rt, ANY, codec, r -> HttpResponse.ok("got " + r.body().length))) {
            Socket stalled = RawHttp.connect(server.localAddress());
            stalled.getOutputStream().write(ascii("PUT /s HTTP/1.1\r\nHost: a\r\nContent-Length: 80000\r\n\r\n"));
            stalled.getOutputStream().write(new byte[1000]); // and never the rest
            io.github.hilos.tck.Tck.awaitCondition("the stalled body holds its first array",
                    () -> budget.used() == 64 * 1024);
            String big = "PUT /b HTTP/1.1\r\nHost: a\r\nContent-Length: 80000\r\nConnection: close\r\n\r\n";
            byte[] request = new byte[big.length() + 80_000];
            System.arraycopy(ascii(big), 0, request, 0, big.length());
            RawHttp.Response refused = RawHttp.exchange(server.localAddress(), request, 1, false).only();
            assertEquals(503, refused.status(), "past the budget: " + refused.bodyText());
            stalled.close(); // its connection ends: its reservation comes back
            io.github.hilos.tck.Tck.awaitCondition("the budget is free again", () -> budget.used() == 0);
            RawHttp.Response served = RawHttp.exchange(server.localAddress(), request, 1, false).only();
            assertEquals(200, served.status());
            assertEquals("got 80000", served.bodyText().strip());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual", "ult", "hybrid"})
    void aSlowLorisIsCutAtTheHeaderDeadlineWhileOthersAreServed(String name) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withRequestTimeout(Duration.ofMillis(600));
        try (StrandRuntime rt = open(name);
             StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), r -> HttpResponse.ok("hi"), limits);
             Socket loris = RawHttp.connect(server.localAddress())) {
            OutputStream out = loris.getOutputStream();
            out.write(ascii("GET / HTTP/1.1\r\nHost: a\r\n"));
            CompletableFuture<RawHttp.Response> cut = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.read(loris.getInputStream(), false);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int trickled = 0;
            // One header byte every 50 ms, each well inside any per-read timeout: only a deadline on the whole
            // block stops it. Meanwhile other clients are served.
            while (!cut.isDone() && trickled < 400) {
                try {
                    out.write('X');
                    out.flush();
                } catch (java.io.IOException closedByServer) {
                    break;
                }
                trickled++;
                if (trickled % 5 == 0) {
                    assertEquals(200, RawHttp.exchange(server.localAddress(), CLOSE).only().status());
                }
                Thread.sleep(50);
            }
            RawHttp.Response response = cut.get(10, TimeUnit.SECONDS);
            assertEquals(408, response.status());
            assertEquals("close", response.header("Connection"));
            assertTrue(trickled < 400, "the loris was cut while it trickled");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult"})
    void anIdleKeptAliveConnectionIsClosedQuietly(String name) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withIdleTimeout(Duration.ofMillis(300));
        try (StrandRuntime rt = open(name);
             StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), r -> HttpResponse.ok("hi"), limits);
             Socket s = RawHttp.connect(server.localAddress())) {
            s.getOutputStream().write(ascii(OK));
            assertEquals(200, RawHttp.read(s.getInputStream(), false).status());
            assertNull(RawHttp.read(s.getInputStream(), false), "closed without a response once idle");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual", "ult", "hybrid"})
    void theConnectionCapMakesNewcomersWaitNotFail(String name) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withMaxConnections(2);
        try (StrandRuntime rt = open(name);
             StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), r -> HttpResponse.ok("hi"), limits);
             Socket a = RawHttp.connect(server.localAddress());
             Socket b = RawHttp.connect(server.localAddress());
             Socket c = RawHttp.connect(server.localAddress())) {
            for (Socket s : new Socket[] {a, b}) {
                s.getOutputStream().write(ascii(OK));
                assertEquals(200, RawHttp.read(s.getInputStream(), false).status());
            }
            c.getOutputStream().write(ascii(OK));
            c.setSoTimeout(300);
            assertThrowsTimeout(c.getInputStream());
            assertEquals(2, server.stats().open(), "two served, the third waits in the backlog");
            a.shutdownOutput(); // the server sees the end of a's stream and closes it
            c.setSoTimeout(10_000);
            assertEquals(200, RawHttp.read(c.getInputStream(), false).status(), "served once a slot is free");
        }
    }

    private static void assertThrowsTimeout(InputStream in) throws Exception {
        try {
            int b = in.read();
            throw new AssertionError("answered over the cap: " + b);
        } catch (java.net.SocketTimeoutException expected) {
            // not served while the cap is held
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult", "hybrid"})
    void thePerSourceCapClosesTheExtraConnection(String name) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withMaxConnectionsPerSource(2);
        try (StrandRuntime rt = open(name);
             StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), r -> HttpResponse.ok("hi"), limits);
             Socket a = RawHttp.connect(server.localAddress());
             Socket b = RawHttp.connect(server.localAddress())) {
            for (Socket s : new Socket[] {a, b}) {
                s.getOutputStream().write(ascii(OK));
                assertEquals(200, RawHttp.read(s.getInputStream(), false).status());
            }
            try (Socket extra = RawHttp.connect(server.localAddress())) {
                assertNull(RawHttp.read(extra.getInputStream(), false), "closed unread");
            } catch (java.net.SocketException reset) {
                // closed before our read: also refused
            }
            assertEquals(1, server.stats().refusedPerSource());
            a.shutdownOutput();
            // once a's slot is released the source may connect again (the release follows a's close)
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); ; ) {
                RawHttp.Exchange e;
                try {
                    e = RawHttp.exchange(server.localAddress(), CLOSE);
                } catch (java.net.SocketException refusedStill) {
                    e = new RawHttp.Exchange(java.util.List.of(), true);
                }
                if (!e.responses().isEmpty()) {
                    assertEquals(200, e.only().status());
                    break;
                }
                assertTrue(System.nanoTime() < until, "the slot was never released");
                Thread.sleep(20);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual", "ult", "hybrid"})
    void gracefulShutdownFinishesInFlightRequestsAndClosesIdleOnes(String name) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        io.github.hilos.sync.CountDownLatch release = new io.github.hilos.sync.CountDownLatch(1);
        try (StrandRuntime rt = open(name)) {
            StrandServer<HttpRequest, HttpResponse> server = DispatcherWorkerServer.start(rt, ANY,
                    HttpCodec.strict(), r -> {
                        if (r.path().equals("/slow")) {
                            entered.countDown();
                            release.await();
                        }
                        return HttpResponse.ok(r.path());
                    }, 4, 16, ServerLimits.DEFAULTS);
            try (Socket busy = RawHttp.connect(server.localAddress());
                 Socket idle = RawHttp.connect(server.localAddress())) {
                idle.getOutputStream().write(ascii(OK));
                assertEquals(200, RawHttp.read(idle.getInputStream(), false).status());
                busy.getOutputStream().write(ascii("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"));
                assertTrue(entered.await(10, TimeUnit.SECONDS));
                CompletableFuture<ShutdownReport> report = CompletableFuture.supplyAsync(
                        () -> server.shutdown(Duration.ofSeconds(20)));
                assertNull(RawHttp.read(idle.getInputStream(), false), "the idle connection is closed");
                assertFalse(report.isDone(), "shutdown waits for the request in flight");
                release.countDown();
                RawHttp.Response last = RawHttp.read(busy.getInputStream(), false);
                assertEquals("/slow", last.bodyText(), "the in-flight request is answered");
                assertEquals("close", last.header("Connection"), "and told the connection ends");
                ShutdownReport r = report.get(20, TimeUnit.SECONDS);
                assertEquals(1, r.idleClosed());
                assertEquals(1, r.finished());
                assertTrue(r.clean(), r.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult"})
    void shutdownReportsWhatItCutAtTheDeadline(String name) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        try (StrandRuntime rt = open(name)) {
            StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                    HttpCodec.strict(), r -> {
                        entered.countDown();
                        new io.github.hilos.sync.CountDownLatch(1).await(); // never answers
                        return HttpResponse.ok("never");
                    });
            try (Socket stuck = RawHttp.connect(server.localAddress())) {
                stuck.getOutputStream().write(ascii(OK));
                assertTrue(entered.await(10, TimeUnit.SECONDS));
                ShutdownReport r = server.shutdown(Duration.ofMillis(200));
                assertEquals(1, r.cut().size(), r.toString());
                assertTrue(r.cut().get(0).contains("handling"), r.toString());
                assertNull(RawHttp.read(stuck.getInputStream(), false), "the cut connection is closed");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult", "hybrid"})
    void aClientThatDoesNotReadIsCutAtTheWriteTimeout(String name) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withWriteTimeout(Duration.ofMillis(400));
        byte[] big = new byte[64 << 20];
        try (StrandRuntime rt = open(name);
             StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt, ANY,
                     HttpCodec.strict(), r -> r.path().equals("/big")
                             ? HttpResponse.of(200, "application/octet-stream", big) : HttpResponse.ok("small"),
                     limits);
             Socket reader = RawHttp.connect(server.localAddress())) {
            reader.setReceiveBufferSize(4096);
            reader.getOutputStream().write(ascii("GET /big HTTP/1.1\r\nHost: a\r\n\r\n"));
            Tck.awaitCondition("the stuck write to be cut", () -> server.stats().writeTimeouts() > 0);
            assertEquals("small", RawHttp.exchange(server.localAddress(), CLOSE).only().bodyText(),
                    "the server goes on");
        }
    }
}
