package io.github.hilos.client;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client kit against fake replicas that fail, hang or answer slowly, and a real HTTP server. */
class ClientKitTest {

    StrandRuntime rt;

    @BeforeEach
    void open() {
        rt = Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "2"));
    }

    @AfterEach
    void close() {
        rt.close();
    }

    static Replica<String, String> ok(String name) {
        return new Replica<>(name, q -> name + ":" + q);
    }

    static Replica<String, String> failing(String name) {
        return new Replica<>(name, q -> {
            throw new IOException(name + " is down");
        });
    }

    static Replica<String, String> slow(String name, Duration d) {
        return new Replica<>(name, q -> {
            Strand.sleep(d);
            return name + ":" + q;
        });
    }

    /** Never answers; records that it was interrupted (abandoned attempts must be). */
    static Replica<String, String> hanging(String name, AtomicBoolean interrupted) {
        return new Replica<>(name, q -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return "never";
        });
    }

    <T> T inStrand(java.util.concurrent.Callable<T> body) throws Exception {
        return rt.run(body);
    }

    @Test
    void roundRobinSpreadsCallsEvenly() throws Exception {
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                List.of(ok("a"), ok("b"), ok("c"))).build();
        List<String> by = inStrand(() -> {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                names.add(client.call("q").replica());
            }
            return names;
        });
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), by);
    }

    @Test
    void aFailingReplicaIsRetriedOnAnother() throws Exception {
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt, List.of(failing("down"), ok("up")))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        ReplicatedClient.Reply<String> r = inStrand(() -> client.call("q"));
        assertEquals("up:q", r.value());
        assertEquals(2, r.attempts());
        assertFalse(r.stale());
    }

    @Test
    void aHangingReplicaTimesOutIsInterruptedAndAnotherAnswers() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                        List.of(hanging("stuck", interrupted), ok("up")))
                .attemptTimeout(Duration.ofMillis(100)).backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        assertEquals("up", inStrand(() -> client.call("q")).replica());
        Tck.awaitCondition("the abandoned attempt to be interrupted", interrupted::get);
    }

    @Test
    void aTimedOutRoundsLateFailureDoesNotFailTheNextRound() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                        List.of(hanging("stuck", interrupted), slow("slowish", Duration.ofMillis(30))))
                .attemptTimeout(Duration.ofMillis(150)).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
        for (int i = 0; i < 6; i++) { // round-robin: every other call starts on the stuck replica
            assertEquals("slowish:q", inStrand(() -> client.call("q")).value(), "call " + i);
        }
    }

    @Test
    void retriesGoToReplicasThisCallHasNotTried() throws Exception {
        for (ReplicatedClient.Choice choice : ReplicatedClient.Choice.values()) {
            ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                            List.of(failing("down"), ok("up1"), ok("up2")))
                    .choice(choice).maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();
            for (int i = 0; i < 30; i++) {
                assertTrue(inStrand(() -> client.call("q")).replica().startsWith("up"), choice + " call " + i);
            }
        }
    }

    @Test
    void aHedgeIsAnAttempt() throws Exception {
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                        List.of(slow("slow", Duration.ofMillis(200)), ok("fast")))
                .hedgeAfter(Duration.ofMillis(20)).maxAttempts(1).build();
        ReplicatedClient.Reply<String> r = inStrand(() -> client.call("q"));
        assertEquals("slow", r.replica(), "one attempt allowed: no hedge");
        assertEquals(1, r.attempts());
    }

    @Test
    void aNullAnswerIsReturnedButNotCached() throws Exception {
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                List.of(new Replica<String, String>("nil", q -> null))).fallbackToLastGood(q -> q).build();
        assertEquals(null, inStrand(() -> client.call("k")).value());
    }

    @Test
    void aSlowReplicaIsHedgedAndTheFirstAnswerWins() throws Exception {
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                        List.of(slow("slow", Duration.ofSeconds(20)), ok("fast")))
                .hedgeAfter(Duration.ofMillis(30)).attemptTimeout(Duration.ofSeconds(30)).build();
        ReplicatedClient.Reply<String> r = inStrand(() -> client.call("q"));
        assertEquals("fast", r.replica());
        assertEquals(2, r.attempts(), "the first attempt and its hedge");
    }

    @Test
    void sendToAllTakesTheFirstAnswer() throws Exception {
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt,
                List.of(slow("slow", Duration.ofSeconds(20)), failing("down"), ok("fast"))).build();
        assertEquals("fast:q", inStrand(() -> client.callAll("q")).value());
    }

    @Test
    void theRetryBudgetStopsRetries() throws Exception {
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt, List.of(failing("down"), ok("up")))
                .retryBudget(RetryBudget.none()).build();
        ReplicasFailedException e = assertThrows(ReplicasFailedException.class,
                () -> inStrand(() -> client.call("q")));
        assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(s -> s.getMessage().contains("retry budget")),
                Arrays.toString(e.getSuppressed()));
        RetryBudget budget = new RetryBudget(0.5, 0);
        budget.onRequest();
        budget.onRequest();
        assertTrue(budget.tryRetry());
        assertFalse(budget.tryRetry(), "half of two requests is one retry");
    }

    @Test
    void whenEveryReplicaFailsTheLastGoodAnswerComesBackStale() throws Exception {
        AtomicBoolean down = new AtomicBoolean();
        Replica<String, String> flaky = new Replica<>("flaky", q -> {
            if (down.get()) {
                throw new IOException("down");
            }
            return "fresh:" + q;
        });
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt, List.of(flaky))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).fallbackToLastGood(q -> q).build();
        assertFalse(inStrand(() -> client.call("k")).stale());
        down.set(true);
        ReplicatedClient.Reply<String> r = inStrand(() -> client.call("k"));
        assertTrue(r.stale());
        assertEquals("fresh:k", r.value());
        assertEquals("cache", r.replica());
        assertThrows(ReplicasFailedException.class, () -> inStrand(() -> client.call("never-seen")));
    }

    @Test
    void leastOutstandingAvoidsTheBusyReplica() throws Exception {
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        Replica<String, String> busy = new Replica<>("busy", q -> {
            served.computeIfAbsent("busy", k -> new AtomicInteger()).incrementAndGet();
            Strand.sleep(Duration.ofMillis(20));
            return "busy";
        });
        Replica<String, String> idle = new Replica<>("idle", q -> {
            served.computeIfAbsent("idle", k -> new AtomicInteger()).incrementAndGet();
            return "idle";
        });
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt, List.of(busy, idle))
                .choice(ReplicatedClient.Choice.LEAST_OUTSTANDING).build();
        List<Strand> callers = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            callers.add(rt.spawn("caller", () -> {
                for (int i = 0; i < 25; i++) {
                    try {
                        client.call("q");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (Strand s : callers) {
            assertTrue(s.join(Duration.ofSeconds(60)));
        }
        int b = served.getOrDefault("busy", new AtomicInteger()).get();
        int i = served.getOrDefault("idle", new AtomicInteger()).get();
        assertEquals(200, b + i);
        assertTrue(b < 0.3 * (b + i), "round-robin would send half to the busy one; least-outstanding sent " + b);
    }

    @Test
    void aPageAndItsPartsAreFetchedOverParallelConnections() throws Exception {
        java.util.concurrent.CountDownLatch bothParts = new java.util.concurrent.CountDownLatch(2);
        try (StrandServer<HttpRequest, HttpResponse> server = ThreadPerConnectionServer.start(rt,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), HttpCodec.strict(), r -> {
                    switch (r.path()) {
                        case "/" -> {
                            return HttpResponse.of(200, "text/html",
                                    ("<img src=\"/a\"><img src=\"b\"><img src=\"/missing\"><img src=\"b c.png\">"
                                            + "<img src=\"http://[x\">").getBytes(StandardCharsets.UTF_8));
                        }
                        case "/a", "/b" -> {
                            // each part waits for the other: fetched one after the other, they would never meet
                            bothParts.countDown();
                            if (!io.github.hilos.api.Jacket.call(() -> bothParts.await(10,
                                    java.util.concurrent.TimeUnit.SECONDS))) {
                                return HttpResponse.text(500, "the parts were not fetched in parallel");
                            }
                            return HttpResponse.ok("part " + r.path());
                        }
                        default -> {
                            return HttpResponse.text(404, "no");
                        }
                    }
                })) {
            InetSocketAddress at = (InetSocketAddress) server.localAddress();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI page = URI.create("http://127.0.0.1:" + at.getPort() + "/");
            ParallelFetch.Page p = inStrand(() -> ParallelFetch.page(rt, http, page, html -> {
                List<String> refs = new ArrayList<>();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"([^\"]+)\"").matcher(html);
                while (m.find()) {
                    refs.add(m.group(1));
                }
                return refs;
            }, 4, Duration.ofSeconds(20)));
            List<ParallelFetch.Outcome<URI, byte[]>> parts = new ArrayList<>(p.parts().values());
            assertEquals(5, parts.size());
            for (int malformed = 3; malformed < 5; malformed++) {
                assertFalse(parts.get(malformed).ok(), "a malformed reference fails alone");
                assertTrue(parts.get(malformed).failure() instanceof java.net.URISyntaxException,
                        String.valueOf(parts.get(malformed).failure()));
            }
            assertEquals("part /a", new String(parts.get(0).value(), StandardCharsets.UTF_8));
            assertEquals("part /b", new String(parts.get(1).value(), StandardCharsets.UTF_8));
            assertFalse(parts.get(2).ok(), "the missing part fails alone");
            assertTrue(parts.get(2).failure().getMessage().contains("404"));
        }
    }

    @Test
    void backoffNeverOverflowsAndStaysWithinItsCap() {
        for (int retry = 1; retry < 70; retry++) {
            Duration d = ReplicatedClient.backoff(Duration.ofMillis(8600), Duration.ofDays(3650), retry);
            assertTrue(!d.isNegative() && d.compareTo(Duration.ofDays(3650)) <= 0, retry + ": " + d);
        }
        for (int i = 0; i < 1000; i++) {
            Duration d = ReplicatedClient.backoff(Duration.ofMillis(10), Duration.ofMillis(100), 3);
            assertTrue(d.toNanos() >= Duration.ofMillis(20).toNanos() && d.toNanos() <= Duration.ofMillis(40).toNanos(),
                    "equal jitter over [cap/2, cap] with cap 40 ms: " + d);
        }
    }

    @Test
    void aHedgeNeverGoesToTheReplicaItHedges() throws Exception {
        java.util.concurrent.atomic.AtomicInteger onSlow = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostOnSlow = new java.util.concurrent.atomic.AtomicInteger();
        Replica<String, String> slow = new Replica<>("slow", q -> {
            mostOnSlow.accumulateAndGet(onSlow.incrementAndGet(), Math::max);
            try {
                io.github.hilos.api.Strand.sleep(Duration.ofMillis(60));
                return "slow:" + q;
            } finally {
                onSlow.decrementAndGet();
            }
        });
        ReplicatedClient<String, String> client = ReplicatedClient.builder(rt, List.of(failing("down"), slow))
                .choice(ReplicatedClient.Choice.RANDOM).hedgeAfter(Duration.ofMillis(10))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).retryBudget(new RetryBudget(1, 100)).build();
        for (int i = 0; i < 20; i++) {
            inStrand(() -> client.call("q"));
        }
        assertEquals(1, mostOnSlow.get(), "two attempts of one call were in flight on the replica being hedged");
    }

    @Test
    void theRetryBudgetIsRatioOfRequestsPlusAFloor() {
        RetryBudget budget = new RetryBudget(0.2, 1);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        int allowed = 0;
        while (budget.tryRetry()) {
            allowed++;
        }
        assertEquals(30, allowed, "20% of 100 requests, plus 1 a second over the 10 s window");
    }
}
