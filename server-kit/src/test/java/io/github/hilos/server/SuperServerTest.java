package io.github.hilos.server;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inetd-like super-server: strand and process services on several ports, and their caps. */
class SuperServerTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static StrandRuntime open(String name) {
        return name.equals("hybrid") ? Runtimes.open(name, RuntimeOptions.defaults().with("carriers", "2"))
                : Runtimes.open(name);
    }

    static void echo(StrandSocket s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512);
        while (s.read(b) >= 0) {
            b.flip();
            s.write(b);
            b.clear();
        }
    }

    /** Sends {@code text}, half-closes, returns everything the service sent back. */
    static String roundTrip(SocketAddress address, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 10_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** True when the super-server closed the connection at once (refused by a cap). */
    static boolean refused(SocketAddress address) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 10_000);
            s.setSoTimeout(20_000);
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual", "ult", "hybrid"})
    void strandAndProcessServicesOnTheirPorts(String name) throws Exception {
        try (StrandRuntime rt = open(name);
             SuperServer inetd = SuperServer.on(rt)
                     .strandService("echo", ANY, SuperServer.Caps.DEFAULTS, SuperServerTest::echo)
                     .processService("upper", ANY, SuperServer.Caps.DEFAULTS, List.of("tr", "a-z", "A-Z"))
                     .processService("cat", ANY, SuperServer.Caps.DEFAULTS, List.of("cat"))
                     .start()) {
            assertEquals("hello", roundTrip(inetd.localAddress("echo"), "hello"));
            assertEquals("HELLO, PROCESS\n", roundTrip(inetd.localAddress("upper"), "hello, process\n"));
            String big = "line of text\n".repeat(20_000); // more than a pipe buffer each way
            assertEquals(big, roundTrip(inetd.localAddress("cat"), big));
            assertEquals(1, inetd.stats().get("upper").served());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klt", "ult", "hybrid"})
    void instancePerSourceAndRateCapsRefuseAndTheServiceGoesOn(String name) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SuperServer.ConnectionHandler held = s -> {
            release.await();
            s.write(ByteBuffer.wrap(new byte[] {'k'}));
        };
        try (StrandRuntime rt = open(name);
             SuperServer inetd = SuperServer.on(rt)
                     .strandService("one", ANY, new SuperServer.Caps(1, 10, 100), held)
                     .strandService("per-source", ANY, new SuperServer.Caps(10, 1, 100), held)
                     .strandService("rate", ANY, new SuperServer.Caps(10, 10, 2), SuperServerTest::echo)
                     .start();
             Socket first = new Socket();
             Socket firstFromSource = new Socket()) {
            first.connect(inetd.localAddress("one"), 10_000);
            firstFromSource.connect(inetd.localAddress("per-source"), 10_000);
            awaitRunning(inetd, "one", 1);
            awaitRunning(inetd, "per-source", 1);
            assertEquals(true, refused(inetd.localAddress("one")), "a second instance is refused");
            assertEquals(true, refused(inetd.localAddress("per-source")), "a second connection from the source");
            release.countDown();
            assertEquals('k', first.getInputStream().read(), "the admitted one is served");
            assertEquals('k', firstFromSource.getInputStream().read());

            assertEquals("a", roundTrip(inetd.localAddress("rate"), "a"));
            assertEquals("b", roundTrip(inetd.localAddress("rate"), "b"));
            assertEquals(true, refused(inetd.localAddress("rate")), "the third connection in a minute");
            assertEquals(1, inetd.stats().get("rate").refused());
            assertEquals(1, inetd.stats().get("one").refused());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ult", "hybrid"})
    void moreProcessesThanJacketThreadsAreServedAtOnce(String name) throws Exception {
        int n = 24; // the jacket pool has 16 threads by default: pipes must not hold them
        try (StrandRuntime rt = open(name);
             SuperServer inetd = SuperServer.on(rt)
                     .processService("cat", ANY, new SuperServer.Caps(64, 64, 600), List.of("cat"))
                     .start()) {
            List<Socket> open = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    Socket s = new Socket();
                    open.add(s);
                    s.connect(inetd.localAddress("cat"), 10_000);
                    s.setSoTimeout(20_000);
                    s.getOutputStream().write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < n; i++) { // every process answers while all of them are running
                    byte[] expected = ("line " + i + "\n").getBytes(StandardCharsets.UTF_8);
                    assertEquals(new String(expected, StandardCharsets.UTF_8), new String(
                            open.get(i).getInputStream().readNBytes(expected.length), StandardCharsets.UTF_8));
                }
                assertEquals(n, inetd.stats().get("cat").running());
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void closingTheSuperServerDestroysItsProcesses() throws Exception {
        try (StrandRuntime rt = open("ult")) {
            SuperServer inetd = SuperServer.on(rt)
                    .processService("sleeper", ANY, SuperServer.Caps.DEFAULTS, List.of("sleep", "300"))
                    .start();
            try (Socket s = new Socket()) {
                s.connect(inetd.localAddress("sleeper"), 10_000);
                awaitRunning(inetd, "sleeper", 1);
                Tck.awaitCondition("the process to start", () -> sleepers() > 0);
                inetd.close();
                Tck.awaitCondition("the process to end with the super-server", () -> sleepers() == 0);
            }
        }
    }

    private static long sleepers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                .count();
    }

    private static void awaitRunning(SuperServer inetd, String service, int n) {
        Tck.awaitCondition(service + " to run " + n, () -> inetd.stats().get(service).running() >= n);
    }

    @Test
    void processServicesGetACleanEnvironmentAndLoseTheirWholeTreeAndIdleConnections() throws Exception {
        String marker = "31" + System.nanoTime() % 1000 + ".5"; // a sleep nobody else runs
        try (StrandRuntime rt = open("ult");
             SuperServer inetd = SuperServer.on(rt)
                     .limits(new SuperServer.Limits(java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(5)))
                     .processService("env", ANY, SuperServer.Caps.DEFAULTS, List.of("env"))
                     .processService("tree", ANY, SuperServer.Caps.DEFAULTS,
                             List.of("sh", "-c", "sleep " + marker + " & echo started; cat"))
                     .processService("cat", ANY, SuperServer.Caps.DEFAULTS, List.of("cat"))
                     .start()) {
            // environment: only the allow-listed variables reach the process
            try (java.net.Socket c = new java.net.Socket()) {
                c.connect(inetd.localAddress("env"), 10_000);
                c.setSoTimeout(10_000);
                c.shutdownOutput();
                String out = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                for (String line : out.lines().toList()) {
                    String name = line.substring(0, Math.max(0, line.indexOf('=')));
                    assertTrue(SuperServer.PROCESS_ENVIRONMENT.contains(name), "a server variable leaked: " + name);
                }
            }
            // process tree: the shell's child dies with the connection
            try (java.net.Socket c = new java.net.Socket()) {
                c.connect(inetd.localAddress("tree"), 10_000);
                c.setSoTimeout(10_000);
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        c.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                assertEquals("started", in.readLine());
                assertTrue(sleepers(marker) > 0, "the grandchild runs while the connection lasts");
            }
            io.github.hilos.tck.Tck.awaitCondition("the grandchild is destroyed with its connection",
                    () -> sleepers(marker) == 0);
            // idle timeout: a client that never sends anything is closed, and its process destroyed
            try (java.net.Socket c = new java.net.Socket()) {
                c.connect(inetd.localAddress("cat"), 10_000);
                c.setSoTimeout(10_000);
                assertEquals(-1, c.getInputStream().read(), "closed by the server after its idle timeout");
            }
            io.github.hilos.tck.Tck.awaitCondition("the idle connection's instance is released",
                    () -> inetd.stats().get("cat").running() == 0);
        }
    }

    private static long sleepers(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))
                .filter(ProcessHandle::isAlive).count();
    }
}
