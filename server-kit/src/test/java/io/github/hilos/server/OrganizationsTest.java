package io.github.hilos.server;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every organization on every runtime, with real clients (platform threads and java.net.Socket) on loopback. */
class OrganizationsTest {

    private static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static Stream<Arguments> organizationsAndRuntimes() {
        List<Arguments> all = new ArrayList<>();
        for (String organization : List.of("iterative", "thread-per-connection", "dispatcher-worker")) {
            for (String runtime : List.of("klt", "jdk-virtual", "ult", "hybrid")) {
                all.add(Arguments.of(organization, runtime));
            }
        }
        return all.stream();
    }

    static <I, O> StrandServer<I, O> start(String organization, StrandRuntime rt, Codec<I, O> codec,
                                           Service<I, O> service) throws Exception {
        return switch (organization) {
            case "iterative" -> IterativeServer.start(rt, ANY, codec, service);
            case "thread-per-connection" -> ThreadPerConnectionServer.start(rt, ANY, codec, service);
            case "dispatcher-worker" -> DispatcherWorkerServer.start(rt, ANY, codec, service, 4, 256);
            default -> throw new IllegalArgumentException(organization);
        };
    }

    static StrandRuntime open(String runtime) {
        return runtime.equals("hybrid")
                ? Runtimes.open(runtime, RuntimeOptions.defaults().with("carriers", "2"))
                : Runtimes.open(runtime);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("organizationsAndRuntimes")
    void manyConcurrentClientsGetTheirAnswers(String organization, String runtime) throws Exception {
        Service<String, String> upper = line -> line.toUpperCase(Locale.ROOT);
        try (StrandRuntime rt = open(runtime);
             StrandServer<String, String> server = start(organization, rt, Codecs.lines(1024), upper)) {
            SocketAddress address = server.localAddress();
            ExecutorService clients = Executors.newFixedThreadPool(30);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 30; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(address, 30_000);
                            socket.setSoTimeout(30_000);
                            OutputStream out = socket.getOutputStream();
                            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                    StandardCharsets.UTF_8));
                            for (int k = 0; k < 20; k++) {
                                String line = "client " + client + " line " + k;
                                out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                                out.flush();
                                assertEquals(line.toUpperCase(Locale.ROOT), in.readLine());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("organizationsAndRuntimes")
    void badRequestsGetAnErrorAndCloseOnlyTheirConnection(String organization, String runtime) throws Exception {
        Service<String, String> picky = line -> {
            if (line.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            return line;
        };
        try (StrandRuntime rt = open(runtime);
             StrandServer<String, String> server = start(organization, rt, Codecs.lines(16), picky)) {
            SocketAddress address = server.localAddress();
            assertEquals(List.of("ERR line too long"), exchange(address, "x".repeat(100)));
            assertEquals(List.of("ERR internal error"), exchange(address, "boom"), "never the exception's text");
            assertEquals(List.of("fine"), exchange(address, "fine"), "the server goes on serving");
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("organizationsAndRuntimes")
    void lengthPrefixedFramesAndTheirLimit(String organization, String runtime) throws Exception {
        Service<byte[], byte[]> reverse = bytes -> {
            byte[] r = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                r[i] = bytes[bytes.length - 1 - i];
            }
            return r;
        };
        try (StrandRuntime rt = open(runtime);
             StrandServer<byte[], byte[]> server = start(organization, rt, Codecs.lengthPrefixed(1000), reverse);
             Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 30_000);
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.writeInt(3);
            out.write(new byte[] {1, 2, 3});
            out.flush();
            assertEquals(3, in.readInt());
            byte[] answer = new byte[3];
            in.readFully(answer);
            assertArrayEquals(new byte[] {3, 2, 1}, answer);
            out.writeInt(5000); // over the limit: closed without an answer
            out.flush();
            assertEquals(-1, in.read());
        }
    }

    /** Sends one line on a fresh connection; returns every line until the server closes it. */
    static List<String> exchange(SocketAddress address, String line) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(address, 30_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String first = in.readLine();
            if (first != null) {
                lines.add(first);
            }
            if (!first.startsWith("ERR")) {
                socket.shutdownOutput(); // a good request keeps the connection: end it ourselves
            }
            assertNull(in.readLine(), "the connection ends");
            return lines;
        }
    }

    @org.junit.jupiter.api.Test
    void finishedConnectionStrandsDoNotPileUp() throws Exception {
        try (StrandRuntime rt = open("hybrid");
             StrandServer<String, String> server = start("thread-per-connection", rt, Codecs.lines(64), l -> l)) {
            for (int i = 0; i < 300; i++) {
                try (Socket s = new Socket()) {
                    s.connect(server.localAddress(), 10_000);
                    s.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
                    assertEquals('x', s.getInputStream().read());
                }
            }
            Tck.awaitCondition("finished connection strands to leave the set (tracked: "
                    + server.trackedStrands() + ")", () -> server.trackedStrands() <= 10);
        }
    }
}
