package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated network: connections between hosts, latency, and each fault. */
class NetworkTest {

    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    /** Echoes what it reads on each accepted connection until the peer's end of stream. */
    private static void echo(StrandServerSocket listener) throws IOException {
        for (;;) {
            StrandSocket c = listener.accept();
            Strand.current().runtime().spawnThrowing("echo", () -> {
                try (c) {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    while (c.read(buf.clear()) >= 0) {
                        c.write(buf.flip());
                    }
                } catch (SocketException reset) {
                    // the client's connection was reset: this one ends
                }
            });
        }
    }

    private static String readExactly(StrandSocket s, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (s.read(buf) < 0) {
                throw new IOException("end of stream after " + buf.position() + " bytes");
            }
        }
        return new String(buf.array(), StandardCharsets.UTF_8);
    }

    @Test
    void anEchoBetweenTwoHostsTakesLatencyAndReplays() {
        SimulationBody<String> body = runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            StrandServerSocket listener = StrandServerSocket.bind(ANY);
            InetSocketAddress at = (InetSocketAddress) listener.localAddress();
            assertEquals("10.0.0.1", at.getAddress().getHostAddress(), "a loopback bind binds on the strand's host");
            runtime.spawnThrowing("server", () -> echo(listener));
            String[] got = new String[1];
            sim.spawnOn("10.0.0.2", "client", () -> {
                try (StrandSocket s = StrandSocket.connect(at)) {
                    assertEquals("10.0.0.2", ((InetSocketAddress) s.localAddress()).getAddress().getHostAddress());
                    s.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
                    got[0] = readExactly(s, 5);
                }
            }).join();
            assertTrue(sim.elapsed().toNanos() >= 4 * 50_000, "a connect and a round trip of at least 50 µs each way: "
                    + sim.elapsed());
            return got[0] + " after " + sim.elapsed().toNanos() + " ns";
        };
        String first = Simulation.run(11, body);
        assertTrue(first.startsWith("hello after "), first);
        assertEquals(first, Simulation.run(11, body), "the same seed, the same latencies");
    }

    @Test
    void aPartitionTimesConnectsOutAndDelaysDataUntilItHeals() {
        Simulation.run(5, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            StrandServerSocket listener = StrandServerSocket.bind(ANY);
            InetSocketAddress at = (InetSocketAddress) listener.localAddress();
            runtime.spawnThrowing("server", () -> echo(listener));
            sim.network().partition("10.0.0.1", "10.0.0.2");
            sim.spawnOn("10.0.0.2", "client", () -> {
                long t0 = Strand.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> StrandSocket.connect(at, Duration.ofSeconds(3)));
                assertEquals(Duration.ofSeconds(3).toNanos(), Strand.nanoTime() - t0, "the connect timeout, virtual");
                sim.network().heal("10.0.0.1", "10.0.0.2");
                try (StrandSocket s = StrandSocket.connect(at)) {
                    sim.network().partition("10.0.0.1", "10.0.0.2");
                    runtime.spawnThrowing("healer", () -> {
                        Strand.sleep(Duration.ofSeconds(10));
                        sim.network().healAll();
                    });
                    long sent = Strand.nanoTime();
                    s.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
                    assertEquals("x", readExactly(s, 1));
                    assertTrue(Strand.nanoTime() - sent >= Duration.ofSeconds(10).toNanos(), "waited for the heal");
                }
            }).join();
            return null;
        });
    }

    @Test
    void aResetFailsBothEnds() {
        Simulation.run(8, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            StrandServerSocket listener = StrandServerSocket.bind(ANY);
            InetSocketAddress at = (InetSocketAddress) listener.localAddress();
            runtime.spawnThrowing("server", () -> echo(listener));
            sim.spawnOn("10.0.0.2", "client", () -> {
                try (StrandSocket s = StrandSocket.connect(at)) {
                    s.write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.UTF_8)));
                    assertEquals("ab", readExactly(s, 2));
                    sim.network().reset(at);
                    SocketException e = assertThrows(SocketException.class, () -> s.read(ByteBuffer.allocate(1)));
                    assertEquals("Connection reset", e.getMessage());
                }
            }).join();
            return null;
        });
    }

    @Test
    void connectionsAreRefusedWithoutAListenerOrWhenAsked() {
        Simulation.run(2, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            ConnectException none = assertThrows(ConnectException.class,
                    () -> StrandSocket.connect(new InetSocketAddress("10.0.0.9", 80)));
            assertTrue(none.getMessage().contains("Connection refused"), none.getMessage());
            StrandServerSocket listener = StrandServerSocket.bind(ANY);
            InetSocketAddress at = (InetSocketAddress) listener.localAddress();
            sim.network().refuse(at);
            assertThrows(ConnectException.class, () -> StrandSocket.connect(at));
            sim.network().admit(at);
            runtime.spawnThrowing("server", () -> echo(listener));
            try (StrandSocket s = StrandSocket.connect(at)) {
                assertTrue(s.isOpen());
            }
            return null;
        });
    }

    @Test
    void aStalledPeerStopsItsWriterAtTheWindow() {
        Simulation.run(4, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            StrandServerSocket listener = StrandServerSocket.bind(ANY);
            InetSocketAddress at = (InetSocketAddress) listener.localAddress();
            runtime.spawnThrowing("sink", () -> {
                try (StrandSocket c = listener.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    long total = 0;
                    for (int n; (n = c.read(buf.clear())) >= 0; ) {
                        total += n;
                    }
                    c.write(ByteBuffer.wrap(Long.toString(total).getBytes(StandardCharsets.UTF_8)));
                }
            });
            sim.network().stall("10.0.0.1");
            long[] written = {0};
            Strand writer = sim.spawnOn("10.0.0.2", "writer", () -> {
                try (StrandSocket s = StrandSocket.connect(at)) {
                    ByteBuffer chunk = ByteBuffer.allocate(1024);
                    for (int i = 0; i < 1024; i++) {
                        s.write(chunk.clear());
                        written[0] += 1024;
                    }
                    s.shutdownOutput();
                    assertEquals(Integer.toString(1024 * 1024), readExactly(s, 7), "what the sink counted");
                }
            });
            Strand.sleep(Duration.ofMinutes(1));
            assertTrue(writer.isAlive(), "blocked in write");
            assertTrue(written[0] <= SimNetwork.WINDOW, "no more than the window went out: " + written[0]);
            sim.network().unstall("10.0.0.1");
            writer.join();
            assertEquals(1024 * 1024, written[0]);
            return null;
        });
    }

    @Test
    void closingWithUnreadInputResetsAndThePeerLosesTheReply() {
        String outcome = Simulation.run(6, runtime -> {
            SimRuntime sim = SimRuntime.of(runtime);
            StrandServerSocket listener = StrandServerSocket.bind(ANY);
            InetSocketAddress at = (InetSocketAddress) listener.localAddress();
            runtime.spawnThrowing("rude-server", () -> {
                StrandSocket c = listener.accept();
                Strand.sleep(Duration.ofMillis(5)); // the client's request has arrived, unread
                c.write(ByteBuffer.wrap("reply".getBytes(StandardCharsets.UTF_8)));
                c.close(); // without reading: a reset, not a FIN
            });
            String[] seen = new String[1];
            sim.spawnOn("10.0.0.2", "client", () -> {
                try (StrandSocket s = StrandSocket.connect(at)) {
                    s.write(ByteBuffer.wrap("request".getBytes(StandardCharsets.UTF_8)));
                    Strand.sleep(Duration.ofMillis(50)); // reads late: the reset is there first
                    seen[0] = "read " + s.read(ByteBuffer.allocate(16));
                } catch (SocketException e) {
                    seen[0] = e.getMessage();
                }
            }).join();
            return seen[0];
        });
        assertEquals("Connection reset by peer", outcome);
    }
}
