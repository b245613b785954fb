package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandSelector;
import io.github.hilos.net.StrandSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.hilos.tck.NetTck.anyLoopbackPort;
import static io.github.hilos.tck.NetTck.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StrandSelector}: one strand multiplexes non-blocking channels while the runtime's other strands run;
 * timeouts, wake-ups from other threads, level-triggered readiness.
 */
public interface SelectorTck extends RuntimeUnderTest {

    @Test
    default void oneStrandServesManyConnectionsWhileOtherStrandsRun() throws Exception {
        int clients = 20;
        try (StrandRuntime rt = open()) {
            Tck.Failures failures = new Tck.Failures();
            ServerSocketChannel listener = ServerSocketChannel.open().bind(anyLoopbackPort());
            listener.configureBlocking(false);
            Strand loop = rt.spawn("event-loop", failures.guard(ignored -> {
                try (StrandSelector selector = StrandSelector.open(); listener) {
                    selector.register(listener, SelectionKey.OP_ACCEPT, null);
                    int[] done = {0};
                    while (done[0] < clients) {
                        selector.select(Tck.HANG, key -> {
                            try {
                                if (key.channel() == listener) {
                                    SocketChannel c = listener.accept();
                                    if (c != null) {
                                        c.configureBlocking(false);
                                        selector.register(c, SelectionKey.OP_READ, ByteBuffer.allocate(64));
                                    }
                                    return;
                                }
                                SocketChannel c = (SocketChannel) key.channel();
                                ByteBuffer b = (ByteBuffer) key.attachment();
                                if (c.read(b) < 0) {
                                    c.close();
                                    done[0]++;
                                    return;
                                }
                                b.flip();
                                while (b.hasRemaining()) {
                                    c.write(b); // small echoes: the socket buffer takes them
                                }
                                b.clear();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                    }
                }
            }, 0));
            java.net.SocketAddress address = rt.run(listener::getLocalAddress);
            List<Strand> clientStrands = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                clientStrands.add(rt.spawn("client-" + i, failures.guard(n -> {
                    byte[] message = ("client " + n + " " + "x".repeat(100 + n)).getBytes(StandardCharsets.UTF_8);
                    try (StrandSocket s = StrandSocket.connect(address, Tck.HANG)) {
                        s.write(ByteBuffer.wrap(message));
                        s.shutdownOutput();
                        assertArrayEquals(message, readAll(s));
                    }
                }, i)));
            }
            for (Strand c : clientStrands) {
                Tck.awaitEnd(c, failures);
            }
            Tck.awaitEnd(loop, failures);
            failures.rethrow();
        }
    }

    @Test
    default void selectTimesOutAndAWakeupFromAnotherThreadEndsIt() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                try (StrandSelector selector = StrandSelector.open()) {
                    assertEquals(0, selector.select(Duration.ofMillis(20), k -> { }));
                    assertEquals(0, selector.select(Duration.ZERO, k -> { }));
                    Thread waker = Thread.ofPlatform().start(selector::wakeup);
                    assertEquals(0, selector.select(Tck.HANG, k -> { }), "woken, not timed out");
                    waker.join();
                }
                return null;
            });
        }
    }

    @Test
    default void readinessIsLevelTriggered() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                try (ServerSocketChannel listener = ServerSocketChannel.open().bind(anyLoopbackPort());
                     StrandSocket client = StrandSocket.connect(listener.getLocalAddress(), Tck.HANG);
                     SocketChannel accepted = listener.accept();
                     StrandSelector selector = StrandSelector.open()) {
                    accepted.configureBlocking(false);
                    StrandSelector.Key key = selector.register(accepted, SelectionKey.OP_READ, "conn");
                    client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    int[] seen = {0};
                    for (int round = 0; round < 3; round++) {
                        assertEquals(1, selector.select(Tck.HANG, k -> {
                            assertEquals("conn", k.attachment());
                            assertTrue((k.readyOps() & SelectionKey.OP_READ) != 0);
                            seen[0]++;
                        }), "unread bytes are reported again, round " + round);
                    }
                    assertEquals(3, seen[0]);
                    ByteBuffer b = ByteBuffer.allocate(8);
                    assertEquals(3, accepted.read(b));
                    key.interestOps(0);
                    assertEquals(0, selector.select(Duration.ofMillis(20), k -> { }), "no interest, no report");
                }
                return null;
            });
        }
    }
}
