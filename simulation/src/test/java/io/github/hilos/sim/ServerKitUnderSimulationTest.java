package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.client.Replica;
import io.github.hilos.client.ReplicasFailedException;
import io.github.hilos.client.ReplicatedClient;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.server.Codecs;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server-kit's servers and client kit, unchanged, on the simulated network with faults. */
class ServerKitUnderSimulationTest {

    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    /** Starts a server from a strand on {@code host}, so that it listens there. */
    private static <T> T onHost(SimRuntime sim, String host, io.github.hilos.api.StrandBody start, Object[] slot)
            throws InterruptedException {
        sim.spawnOn(host, "start-on-" + host, start).join();
        @SuppressWarnings("unchecked")
        T made = (T) slot[0];
        return made;
    }

    @Test
    void everyHttpResponseBelongsToItsRequestUnderRandomResets() {
        Simulation.settings().randomFaults(0.02).explore(40, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            Object[] slot = new Object[1];
            StrandServer<HttpRequest, HttpResponse> server = onHost(sim, "10.0.0.1", () -> slot[0] =
                    ThreadPerConnectionServer.start(runtime, ANY, HttpCodec.strict(),
                            (HttpRequest r) -> HttpResponse.ok(r.path())), slot);
            SocketAddress at = server.localAddress();
            List<Strand> clients = new ArrayList<>();
            int[] answered = {0};
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.add(sim.spawnOn("10.0.0." + (2 + c), "client-" + c, () -> {
                    SimHttp http = null;
                    StrandSocket socket = null;
                    for (int i = 0; i < 8; i++) {
                        String path = "/r/" + client + "/" + i;
                        for (int attempt = 1; ; attempt++) {
                            try {
                                if (http == null) {
                                    socket = StrandSocket.connect(at);
                                    http = new SimHttp(socket);
                                }
                                http.send("GET " + path + " HTTP/1.1\r\nHost: sim\r\n\r\n");
                                String response = http.readResponse();
                                assertEquals("200 " + path, response, "the response to its own request");
                                answered[0]++;
                                break;
                            } catch (IOException fault) {
                                // a reset or a refused connection: GET is idempotent, retry on a new connection
                                if (socket != null) {
                                    socket.close();
                                }
                                http = null;
                                socket = null;
                                assertTrue(attempt < 20, "request " + path + " failed 20 times: " + fault);
                            }
                        }
                    }
                    if (socket != null) {
                        socket.close();
                    }
                }));
            }
            for (Strand s : clients) {
                s.join();
            }
            assertEquals(32, answered[0]);
            server.close();
            return null;
        });
    }

    @Test
    void theStateTableServerRunsUnderSimulationToo() {
        Simulation.settings().randomFaults(0.02).explore(40, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            Object[] slot = new Object[1];
            io.github.hilos.server.StateTableServer<HttpRequest, HttpResponse> server = onHost(sim, "10.0.0.1",
                    () -> slot[0] = io.github.hilos.server.StateTableServer.start(runtime, ANY, HttpCodec.strict(),
                            io.github.hilos.server.StateMachine.immediate((HttpRequest r) -> HttpResponse.ok(r.path()
                                    + " " + r.body().length))), slot);
            SocketAddress at = server.localAddress();
            List<Strand> clients = new ArrayList<>();
            int[] answered = {0};
            for (int c = 0; c < 3; c++) {
                int client = c;
                clients.add(sim.spawnOn("10.0.0." + (2 + c), "client-" + c, () -> {
                    for (int i = 0; i < 6; i++) {
                        String path = "/s/" + client + "/" + i;
                        String body = "x".repeat(Strand.random().nextInt(0, 3000)); // more than a segment, at times
                        for (int attempt = 1; ; attempt++) {
                            try (StrandSocket socket = StrandSocket.connect(at)) {
                                SimHttp http = new SimHttp(socket);
                                http.send("PUT " + path + " HTTP/1.1\r\nHost: sim\r\nContent-Length: " + body.length()
                                        + "\r\n\r\n" + body);
                                assertEquals("200 " + path + " " + body.length(), http.readResponse());
                                answered[0]++;
                                break;
                            } catch (IOException fault) {
                                assertTrue(attempt < 20, path + " failed 20 times: " + fault);
                            }
                        }
                    }
                }));
            }
            for (Strand s : clients) {
                s.join();
            }
            assertEquals(18, answered[0]);
            server.close();
            return null;
        });
    }

    /**
     * The race server-kit documents: a request whose first byte reaches a kept-alive connection while the server's
     * shutdown closes it, idle, is lost with the connection. Simulation finds a seed for it and replays it.
     */
    private static Void keepAliveRequestDuringShutdown(StrandRuntime runtime) throws Exception {
        SimRuntime sim = SimRuntime.of(runtime);
        Object[] slot = new Object[1];
        StrandServer<HttpRequest, HttpResponse> server = onHost(sim, "10.0.0.1", () -> slot[0] =
                ThreadPerConnectionServer.start(runtime, ANY, HttpCodec.strict(),
                        (HttpRequest r) -> HttpResponse.ok(r.path())), slot);
        SocketAddress at = server.localAddress();
        Strand client = sim.spawnOn("10.0.0.2", "client", () -> {
            StrandSocket socket;
            try {
                socket = StrandSocket.connect(at);
            } catch (IOException refused) {
                return; // the listener closed first: nothing was sent
            }
            try (socket) {
                SimHttp http = new SimHttp(socket);
                if (exchange(http, "/first")) {
                    Strand.sleep(Duration.ofMillis(Strand.random().nextInt(0, 4)));
                    exchange(http, "/second");
                }
            }
        });
        Strand.sleep(Duration.ofMillis(Strand.random().nextInt(1, 5)));
        server.shutdown(Duration.ofSeconds(1));
        client.join();
        return null;
    }

    /** Sends a GET; false if the send failed (nothing lost); a sent request must get its response. */
    private static boolean exchange(SimHttp http, String path) {
        try {
            http.send("GET " + path + " HTTP/1.1\r\nHost: sim\r\n\r\n");
        } catch (IOException closedBeforeSending) {
            return false;
        }
        String response;
        try {
            response = http.readResponse();
        } catch (IOException e) {
            throw new AssertionError("a sent request got no response (" + path + "): " + e.getMessage());
        }
        assertEquals("200 " + path, response);
        return true;
    }

    @Test
    void theDocumentedIdleCloseRaceAtShutdownIsFoundAndReplayed() {
        long seed = -1;
        SimulationFailure found = null;
        for (long s = 0; s < 1000 && found == null; s++) {
            try {
                Simulation.run(s, ServerKitUnderSimulationTest::keepAliveRequestDuringShutdown);
            } catch (SimulationFailure f) {
                seed = s;
                found = f;
            }
        }
        assertTrue(found != null, "the race is reachable within 1000 seeds");
        assertTrue(found.getMessage().contains("a sent request got no response"), found.getMessage());
        System.out.println("idle-close race at shutdown: first seed " + seed);
        long replay = seed;
        SimulationFailure again = assertThrows(SimulationFailure.class,
                () -> Simulation.run(replay, ServerKitUnderSimulationTest::keepAliveRequestDuringShutdown));
        assertEquals(found.trace(), again.trace());
    }

    // ---- replicas ----

    private record Cluster(List<Replica<String, String>> replicas, List<List<String>> applied) {
    }

    /** Three line replicas on 10.0.0.1-3 that apply each request (record its id) and answer "ok id". */
    private static Cluster cluster(SimRuntime sim, StrandRuntime runtime) throws Exception {
        List<Replica<String, String>> replicas = new ArrayList<>();
        List<List<String>> applied = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            List<String> log = new ArrayList<>();
            applied.add(log);
            Object[] slot = new Object[1];
            StrandServer<String, String> server = onHost(sim, "10.0.0." + (r + 1), () -> slot[0] =
                    ThreadPerConnectionServer.start(runtime, ANY, Codecs.lines(64), (String id) -> {
                        Strand.sleep(Duration.ofMillis(Strand.random().nextInt(1, 30))); // a slow replica, at times
                        log.add(id);
                        return "ok " + id;
                    }), slot);
            SocketAddress at = server.localAddress();
            replicas.add(new Replica<>("replica-" + r, id -> {
                try (StrandSocket s = StrandSocket.connect(at, Duration.ofMillis(200))) {
                    SimHttp lines = new SimHttp(s, Duration.ofSeconds(1));
                    lines.send(id + "\n");
                    return lines.readLine();
                }
            }));
        }
        return new Cluster(replicas, applied);
    }

    /** Partitions the client's host from a random replica now and then, and heals. */
    private static void chaos(SimRuntime sim, String clientHost) {
        sim.spawnThrowing("chaos", () -> {
            for (;;) {
                Strand.sleep(Duration.ofMillis(Strand.random().nextInt(5, 60)));
                String replica = "10.0.0." + (1 + Strand.random().nextInt(3));
                sim.network().partition(clientHost, replica);
                Strand.sleep(Duration.ofMillis(Strand.random().nextInt(10, 400)));
                sim.network().heal(clientHost, replica);
            }
        });
    }

    private static int timesApplied(Cluster cluster, String id) {
        int n = 0;
        for (List<String> log : cluster.applied()) {
            n += (int) log.stream().filter(id::equals).count();
        }
        return n;
    }

    @Test
    void replicatedClientKeepsItsBoundsUnderPartitions() {
        Simulation.explore(60, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            Cluster cluster = cluster(sim, runtime);
            chaos(sim, "10.0.0.9");
            sim.spawnOn("10.0.0.9", "caller", () -> {
                ReplicatedClient<String, String> client = ReplicatedClient.builder(runtime, cluster.replicas())
                        .maxAttempts(3).attemptTimeout(Duration.ofMillis(50)).hedgeAfter(Duration.ofMillis(20))
                        .build();
                for (int i = 0; i < 10; i++) {
                    String id = "req-" + i;
                    int attempts;
                    try {
                        ReplicatedClient.Reply<String> reply = client.call(id);
                        assertEquals("ok " + id, reply.value(), "the answer to this request");
                        attempts = reply.attempts();
                    } catch (ReplicasFailedException allFailed) {
                        attempts = 3;
                    }
                    assertTrue(attempts <= 3, "bounded attempts: " + attempts);
                    Strand.sleep(Duration.ofMillis(500)); // abandoned attempts land or die
                    int applied = timesApplied(cluster, id);
                    assertTrue(applied <= attempts, id + " applied " + applied + " times in " + attempts
                            + " attempts: more effects than attempts");
                }
            }).join();
            return null;
        });
    }

    /**
     * A copy of a retrying client with a planted bug: it retries a timed-out attempt without giving up on the
     * first, and counts only the attempts that failed, so a slow replica's late success is applied twice while
     * the caller believes it made one attempt.
     */
    private static int plantedRetry(List<Replica<String, String>> replicas, String id, StrandRuntime runtime)
            throws Exception {
        int attempts = 0;
        for (int r = 0; r < replicas.size(); r++) {
            Replica<String, String> replica = replicas.get(r);
            io.github.hilos.sync.Channel<String> answer = io.github.hilos.sync.Channels.bounded(1);
            runtime.spawnThrowing("attempt", () -> {
                try {
                    answer.trySend(replica.call().call(id));
                } catch (IOException failed) {
                    // counted below as a timeout
                }
            });
            String got = answer.receive(Duration.ofMillis(25));
            if (got != null) {
                return attempts + 1;
            }
            attempts = 0; // the bug: a timeout is "not an attempt" (the abandoned one still runs)
        }
        return attempts;
    }

    @Test
    void aPlantedRetryBugIsFoundByItsEffects() {
        SimulationFailure found = assertThrows(SimulationFailure.class, () -> Simulation.explore(1000, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            Cluster cluster = cluster(sim, runtime);
            sim.spawnOn("10.0.0.9", "caller", () -> {
                int attempts = plantedRetry(cluster.replicas(), "req", runtime);
                Strand.sleep(Duration.ofSeconds(2));
                int applied = timesApplied(cluster, "req");
                assertTrue(applied <= Math.max(attempts, 1), "req applied " + applied + " times in " + attempts
                        + " attempts: more effects than attempts");
            }).join();
            return null;
        }));
        assertTrue(found.getMessage().contains("more effects than attempts"), found.getMessage());
    }
}
