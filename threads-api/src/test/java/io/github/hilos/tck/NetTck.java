package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.sync.CountDownLatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strand sockets over loopback: echo with many connections, half-close, timeouts, streams, close. */
public interface NetTck extends RuntimeUnderTest {

    /**
     * Returns a loopback address with port 0 (any free port).
     *
     * @return the address
     */
    static SocketAddress anyLoopbackPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /**
     * Reads until end of stream.
     *
     * @param socket the socket
     * @return every byte read
     * @throws IOException on error
     */
    static byte[] readAll(StrandSocket socket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while (socket.read(buffer) >= 0) {
            buffer.flip();
            all.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
        }
        return all.toByteArray();
    }

    /**
     * Starts an acceptor strand that serves {@code connections} connections, each by an echo strand that writes
     * back what it reads until end of stream; the acceptor ends when every handler has.
     *
     * @param rt the runtime
     * @param server the listening socket
     * @param connections how many connections to accept
     * @param bufferSize the handlers' buffer size (direct)
     * @param failures where strand failures go
     * @return the acceptor strand
     */
    static Strand startEchoServer(StrandRuntime rt, StrandServerSocket server, int connections, int bufferSize,
                                  Tck.Failures failures) {
        return rt.spawn("acceptor", failures.guard(ignored -> {
            List<Strand> handlers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                StrandSocket connection = server.accept();
                handlers.add(rt.spawn("echo-" + i, failures.guard(k -> {
                    try (connection) {
                        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
                        while (connection.read(buffer) >= 0) {
                            buffer.flip();
                            connection.write(buffer);
                            buffer.clear();
                        }
                    }
                }, i)));
            }
            for (Strand h : handlers) {
                awaitEnd(h, failures);
            }
        }, 0));
    }

    @Test
    default void echoOverLoopbackWithAHundredConcurrentConnections() throws Exception {
        int clients = 100;
        try (StrandRuntime rt = open(); StrandServerSocket server = rt.run(() -> StrandServerSocket.bind(anyLoopbackPort()))) {
            SocketAddress address = server.localAddress();
            Tck.Failures failures = new Tck.Failures();
            Strand acceptor = startEchoServer(rt, server, clients, 37, failures); // small buffer: many reads each
            Tck.runAll(rt, clients, i -> {
                byte[] message = ("client " + i + " says " + "hello ".repeat(50 + i)).getBytes(StandardCharsets.UTF_8);
                try (StrandSocket socket = StrandSocket.connect(address, Tck.HANG)) {
                    socket.write(ByteBuffer.wrap(message));
                    socket.shutdownOutput(); // half-close: the echo ends, and we can still read it
                    assertArrayEquals(message, readAll(socket), "echo of client " + i);
                }
            });
            awaitEnd(acceptor, failures);
            failures.rethrow();
        }
    }

    @Test
    default void readAndAcceptTimeOutAndTheSocketStaysUsable() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                try (StrandServerSocket server = StrandServerSocket.bind(anyLoopbackPort())) {
                    assertThrows(SocketTimeoutException.class, () -> server.accept(Duration.ofMillis(20)));
                    try (StrandSocket client = StrandSocket.connect(server.localAddress());
                         StrandSocket accepted = server.accept(Tck.HANG)) {
                        ByteBuffer buffer = ByteBuffer.allocate(8);
                        assertThrows(SocketTimeoutException.class, () -> client.read(buffer, Duration.ofMillis(20)));
                        accepted.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                        assertEquals(3, client.read(buffer, Tck.HANG));
                        assertEquals(client.localAddress(), accepted.remoteAddress());
                    }
                }
                return null;
            });
        }
    }

    @Test
    default void streamViewsCarryBytes() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                try (StrandServerSocket server = StrandServerSocket.bind(anyLoopbackPort())) {
                    Strand writer = Strand.current();
                    assertTrue(writer.isAlive());
                    try (StrandSocket client = StrandSocket.connect(server.localAddress());
                         StrandSocket accepted = server.accept()) {
                        OutputStream out = client.outputStream();
                        out.write("line one\n".getBytes(StandardCharsets.US_ASCII));
                        out.write('!');
                        client.shutdownOutput();
                        accepted.setStreamReadTimeout(Tck.HANG);
                        InputStream in = accepted.inputStream();
                        assertEquals("line one\n!", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                        assertEquals(-1, in.read());
                    }
                }
                return null;
            });
        }
    }

    @Test
    default void closingTheServerSocketWakesItsAcceptor() throws Exception {
        try (StrandRuntime rt = open()) {
            StrandServerSocket server = rt.run(() -> StrandServerSocket.bind(anyLoopbackPort()));
            CountDownLatch accepting = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Strand acceptor = rt.spawn(() -> {
                accepting.countDown();
                try {
                    server.accept();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            accepting.await();
            Strand.sleep(Duration.ofMillis(20));
            server.close();
            awaitEnd(acceptor);
            assertInstanceOf(IOException.class, thrown.get());
        }
    }

    @Test
    default void connectingToAClosedPortFails() throws Exception {
        SocketAddress closed;
        try (StrandRuntime rt = open()) {
            StrandServerSocket server = rt.run(() -> StrandServerSocket.bind(anyLoopbackPort()));
            closed = server.localAddress();
            server.close();
            assertThrows(IOException.class, () -> rt.run(() -> StrandSocket.connect(closed, Tck.HANG)));
            assertThrows(NullPointerException.class, () -> rt.run(() -> StrandSocket.connect(null)));
        }
    }
}
