package io.github.hilos.server;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;
import io.github.hilos.tck.Tck;
import io.github.hilos.ult.UltRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state-table server: one strand, non-blocking I/O, slow work as events matched by request id. */
class StateTableServerTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** A simulated disk: reads complete on a timer thread after a delay, never blocking the caller. */
    static final class SlowDisk implements AutoCloseable {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        CompletableFuture<String> read(String block, long micros) {
            CompletableFuture<String> f = new CompletableFuture<>();
            timer.schedule(() -> f.complete("data-of-" + block), micros, TimeUnit.MICROSECONDS);
            return f;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    enum FileState { READING_BLOCK }

    /** READ <block> -> waits for the disk in READING_BLOCK -> replies with the block's data. */
    static StateMachine<String, String> fileMachine(SlowDisk disk) {
        return new StateMachine<>() {
            @Override
            public Transition<String> start(long id, String request) {
                if (!request.startsWith("READ ")) {
                    return Transition.reply("ERR unknown command");
                }
                return Transition.await(FileState.READING_BLOCK, disk.read(request.substring(5), 500));
            }

            @Override
            public Transition<String> resume(long id, Object state, Object result, Throwable failure) {
                assertEquals(FileState.READING_BLOCK, state);
                return Transition.reply(failure != null ? "ERR " + failure : (String) result);
            }
        };
    }

    /** The counters are published at the end of a loop turn, after the answers went out: wait for them. */
    static void awaitRequests(StateTableServer<?, ?> server, long n) {
        Tck.awaitCondition(n + " requests counted", () -> server.stats().requests() == n);
    }

    static StrandRuntime open(String name, RuntimeOptions options) {
        return Runtimes.open(name, name.equals("hybrid") ? options.with("carriers", "2") : options);
    }

    static void clients(SocketAddress address, int clients, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(address, 10_000);
                        s.setSoTimeout(30_000);
                        OutputStream out = s.getOutputStream();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                StandardCharsets.UTF_8));
                        for (int r = 0; r < requests; r++) {
                            String block = client + "." + r;
                            out.write(("READ " + block + "\n").getBytes(StandardCharsets.UTF_8));
                            assertEquals("data-of-" + block, in.readLine(), "the answer matches its request");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual", "ult", "hybrid"})
    void slowWorkComesBackAsEventsMatchedToTheirRequests(String name) throws Exception {
        try (SlowDisk disk = new SlowDisk();
             StrandRuntime rt = open(name, RuntimeOptions.defaults());
             StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(256),
                     fileMachine(disk))) {
            clients(server.localAddress(), 32, 20);
            awaitRequests(server, 640);
        }
    }

    @Test
    void theServerStrandNeverBlocksItsCarrier() throws Exception {
        RuntimeOptions watched = RuntimeOptions.defaults().with("watchdog.threshold.ms", "50");
        try (SlowDisk disk = new SlowDisk(); StrandRuntime rt = open("ult", watched)) {
            try (StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(256),
                    fileMachine(disk))) {
                clients(server.localAddress(), 32, 20);
            }
            assertEquals(List.of(), ((UltRuntime) rt).stalls(), "the watchdog stays silent");
        }
    }

    /** The asynchronous call a transition needs: Jacket.async turns a blocking call into the stage it waits for. */
    @ParameterizedTest
    @ValueSource(strings = {"ult", "hybrid"})
    void aTransitionWaitsForABlockingCallThroughJacketAsync(String name) throws Exception {
        RuntimeOptions watched = RuntimeOptions.defaults().with("watchdog.threshold.ms", "50");
        StateMachine<String, String> blockingDisk = new StateMachine<>() {
            @Override
            public Transition<String> start(long id, String request) {
                String block = request.substring(5);
                return Transition.await(FileState.READING_BLOCK, io.github.hilos.api.Jacket.async(() -> {
                    Thread.sleep(100); // a blocking call, off the loop: it would stall the carrier inline
                    return "data-of-" + block;
                }));
            }

            @Override
            public Transition<String> resume(long id, Object state, Object result, Throwable failure) {
                return Transition.reply(failure != null ? "ERR " + failure : (String) result);
            }
        };
        try (StrandRuntime rt = open(name, watched)) {
            try (StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(256),
                    blockingDisk)) {
                clients(server.localAddress(), 8, 3);
                awaitRequests(server, 24);
            }
            assertEquals(List.of(), ((UltRuntime) rt).stalls(), "the loop never blocked its carrier");
        }
    }

    @Test
    void theWatchdogWouldSeeABlockingTransition() throws Exception {
        RuntimeOptions watched = RuntimeOptions.defaults().with("watchdog.threshold.ms", "50");
        try (StrandRuntime rt = open("ult", watched)) {
            try (StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(256),
                    StateMachine.immediate(line -> {
                        Thread.sleep(300); // what a state-table handler must never do
                        return line;
                    }))) {
                try (Socket s = new Socket()) {
                    s.connect(server.localAddress(), 10_000);
                    s.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
                    assertEquals('x', s.getInputStream().read());
                }
            }
            assertFalse(((UltRuntime) rt).stalls().isEmpty(), "the control: blocking is reported");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult", "hybrid"})
    void httpWorksOnTheStateTableTooWithPipeliningAndErrors(String name) throws Exception {
        StateMachine<HttpRequest, HttpResponse> hello = StateMachine.immediate(r -> HttpResponse.ok(r.path()));
        try (StrandRuntime rt = open(name, RuntimeOptions.defaults());
             StateTableServer<HttpRequest, HttpResponse> server = StateTableServer.start(rt, ANY, HttpCodec.strict(),
                     hello);
             Socket s = new Socket()) {
            s.connect(server.localAddress(), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\n"
                    + "Content-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.indexOf("\r\n\r\n/a") < all.indexOf("\r\n\r\n/b"), all);
            assertTrue(all.contains("HTTP/1.1 400 "), "the smuggling attempt is refused: " + all);
            assertTrue(all.endsWith("Connection: close\r\n\r\n400 both Content-Length and Transfer-Encoding\n"), all);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult"})
    void expectContinueAndATrickledBodyOnTheStateTable(String name) throws Exception {
        StateMachine<HttpRequest, HttpResponse> sizes = StateMachine.immediate(r -> HttpResponse.ok(r.path() + " "
                + r.body().length));
        try (StrandRuntime rt = open(name, RuntimeOptions.defaults());
             StateTableServer<HttpRequest, HttpResponse> server = StateTableServer.start(rt, ANY, HttpCodec.strict(),
                     sizes);
             Socket s = new Socket()) {
            s.connect(server.localAddress(), 10_000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            int size = 3000;
            s.getOutputStream().write(("PUT /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: " + size
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] interim = s.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.ISO_8859_1),
                    "the interim answer, before the body is sent");
            for (int i = 0; i < size; i++) { // a trickled body: each byte its own segment, parsed once
                s.getOutputStream().write('x');
                s.getOutputStream().flush();
            }
            s.getOutputStream().write("GET /next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.contains("\r\n\r\n/e " + size) && all.endsWith("\r\n\r\n/next 0"), all);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult"})
    void aSlowLorisIsCutAndShutdownFinishesWhatIsInFlight(String name) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withRequestTimeout(Duration.ofMillis(400));
        CompletableFuture<String> gate = new CompletableFuture<>();
        StateMachine<String, String> gated = new StateMachine<>() {
            @Override
            public Transition<String> start(long id, String request) {
                return request.equals("wait") ? Transition.await("gate", gate) : Transition.reply(request);
            }

            @Override
            public Transition<String> resume(long id, Object state, Object result, Throwable failure) {
                return Transition.reply("opened " + result);
            }
        };
        try (StrandRuntime rt = open(name, RuntimeOptions.defaults())) {
            StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(256), gated,
                    limits);
            try (Socket loris = new Socket(); Socket waiting = new Socket(); Socket idle = new Socket()) {
                for (Socket s : List.of(loris, waiting, idle)) {
                    s.connect(server.localAddress(), 10_000);
                    s.setSoTimeout(10_000);
                }
                loris.getOutputStream().write("partial line wit".getBytes(StandardCharsets.UTF_8));
                BufferedReader lorisIn = new BufferedReader(new InputStreamReader(loris.getInputStream(),
                        StandardCharsets.UTF_8));
                assertTrue(lorisIn.readLine().startsWith("ERR"), "cut at the request deadline");
                assertNull(lorisIn.readLine());

                idle.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader idleIn = new BufferedReader(new InputStreamReader(idle.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("ping", idleIn.readLine());
                waiting.getOutputStream().write("wait\n".getBytes(StandardCharsets.UTF_8));
                Tck.awaitCondition("both requests read", () -> server.stats().requests() >= 2);
                CompletableFuture<ShutdownReport> report = CompletableFuture.supplyAsync(
                        () -> server.shutdown(Duration.ofSeconds(20)));
                assertNull(idleIn.readLine(), "the idle connection is closed");
                gate.complete("later");
                BufferedReader waitingIn = new BufferedReader(new InputStreamReader(waiting.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("opened later", waitingIn.readLine(), "the request in the table is answered");
                ShutdownReport r = report.get(20, TimeUnit.SECONDS);
                assertEquals(1, r.finished(), r.toString());
                assertTrue(r.clean(), r.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult", "hybrid"})
    void oneDispatcherHandsRequestsToWorkersAndRefusesOverTheQueue(String name) throws Exception {
        io.github.hilos.sync.CountDownLatch release = new io.github.hilos.sync.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger working = new java.util.concurrent.atomic.AtomicInteger();
        try (StrandRuntime rt = open(name, RuntimeOptions.defaults());
             OneDispatcherServer<String, String> server = OneDispatcherServer.start(rt, ANY, Codecs.lines(64), l -> {
                 working.incrementAndGet();
                 release.await(); // the worker blocks: allowed, it is not the dispatcher
                 return l.toUpperCase(Locale.ROOT);
             }, 1, 1, ServerLimits.DEFAULTS)) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    sockets.add(s);
                    s.connect(server.localAddress(), 10_000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(("req" + i + "\n").getBytes(StandardCharsets.UTF_8));
                    // one at a time, so that which one is queued and which are refused is known
                    int sent = i;
                    Tck.awaitCondition("request " + i + " taken", () -> sent == 0 ? working.get() > 0
                            : server.stats().requests() >= sent + 1);
                }
                // one with the worker, one in the queue, the others refused at once while the worker is stuck
                List<String> answers = new ArrayList<>();
                for (int i = 2; i < 4; i++) {
                    answers.add(new BufferedReader(new InputStreamReader(sockets.get(i).getInputStream(),
                            StandardCharsets.UTF_8)).readLine());
                }
                assertEquals(List.of("ERR overloaded", "ERR overloaded"), answers);
                release.countDown();
                for (int i = 0; i < 2; i++) {
                    assertEquals("REQ" + i, new BufferedReader(new InputStreamReader(sockets.get(i).getInputStream(),
                            StandardCharsets.UTF_8)).readLine());
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aWorkerSurvivesAServiceThatThrowsAnErrorAndSessionsAreRefused() throws Exception {
        try (StrandRuntime rt = open("ult", RuntimeOptions.defaults());
             OneDispatcherServer<String, String> server = OneDispatcherServer.start(rt, ANY, Codecs.lines(64), l -> {
                 if (l.equals("boom")) {
                     throw new AssertionError("a bug in the service");
                 }
                 return l;
             }, 1, 8, ServerLimits.DEFAULTS)) {
            for (String request : List.of("boom", "fine")) { // one worker: it must survive the first
                try (Socket s = new Socket()) {
                    s.connect(server.localAddress(), 10_000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write((request + "\n").getBytes(StandardCharsets.UTF_8));
                    String answer = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8)).readLine();
                    assertEquals(request.equals("boom"), answer.startsWith("ERR"), answer);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> OneDispatcherServer.start(rt, ANY, Codecs.lines(64),
                    new io.github.hilos.server.examples.StatefulFiles(java.nio.file.Path.of(".")), 1, 1,
                    ServerLimits.DEFAULTS));
        }
    }

    @Test
    void thousandsOfPipelinedRequestsAreALoopNotARecursion() throws Exception {
        int n = 20_000; // a recursion per pipelined answer overflowed the stack at about 1 600
        try (StrandRuntime rt = open("ult", RuntimeOptions.defaults());
             StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(64),
                     StateMachine.immediate(l -> l));
             Socket s = new Socket()) {
            s.connect(server.localAddress(), 10_000);
            s.setSoTimeout(30_000);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    s.getOutputStream().write("p\n".repeat(n).getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < n; i++) {
                assertEquals("p", in.readLine(), "answer " + i);
            }
            writer.join();
            awaitRequests(server, n);
        }
    }

    @Test
    void manyLineClientsOnEveryRuntime() throws Exception {
        for (String name : List.of("klt", "jdk-virtual", "ult", "hybrid")) {
            try (StrandRuntime rt = open(name, RuntimeOptions.defaults());
                 StateTableServer<String, String> server = StateTableServer.start(rt, ANY, Codecs.lines(64),
                         StateMachine.immediate(l -> l.toUpperCase(Locale.ROOT)))) {
                try (Socket s = new Socket()) {
                    s.connect(server.localAddress(), 10_000);
                    s.getOutputStream().write(("x".repeat(100) + "\nok\n").getBytes(StandardCharsets.UTF_8));
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8));
                    assertEquals("ERR line too long", in.readLine(), name);
                    assertNull(in.readLine(), "closed after the error: " + name);
                }
            }
        }
    }
}
