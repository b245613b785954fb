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

    /** A readable pipe whose source is non-blocking, for the contract cases below. */
    private static java.nio.channels.Pipe readablePipe() throws java.io.IOException {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));
        return pipe;
    }

    private static void closeQuietly(java.nio.channels.Pipe pipe) throws java.io.IOException {
        pipe.sink().close();
        pipe.source().close();
    }

    @Test
    default void aPendingWakeupStillReportsTheChannelsThatAreReady() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                java.nio.channels.Pipe pipe = readablePipe();
                try (StrandSelector selector = StrandSelector.open()) {
                    selector.register(pipe.source(), SelectionKey.OP_READ, null);
                    for (int round = 0; round < 50; round++) {
                        selector.wakeup();
                        assertEquals(1, selector.select(Duration.ofSeconds(1), k -> { }),
                                "a readable pipe, round " + round);
                    }
                } finally {
                    closeQuietly(pipe);
                }
                return null;
            });
        }
    }

    @Test
    default void aWakeupFromAnotherThreadIsNeverLost() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                try (StrandSelector selector = StrandSelector.open()) {
                    for (int round = 0; round < 200; round++) {
                        // The waker runs at any point of the select: before it, while it waits, as it returns.
                        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                        int spin = round % 20;
                        Thread waker = Thread.ofPlatform().start(() -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            for (int i = 0; i < spin * 50; i++) {
                                Thread.onSpinWait();
                            }
                            selector.wakeup();
                        });
                        go.countDown();
                        long start = System.nanoTime();
                        selector.select(Tck.HANG, k -> { });
                        assertTrue(System.nanoTime() - start < Tck.HANG.toNanos() / 2,
                                "select waited out its timeout: the wakeup of round " + round + " was lost");
                        waker.join();
                    }
                }
                return null;
            });
        }
    }

    /**
     * A wake-up from another thread that lands after the select stopped waiting (here: while it runs its actions)
     * is not consumed by that select: the next one returns at once. Consuming it on the way out lost it.
     */
    @Test
    default void aWakeupAfterTheWaitEndedIsKeptForTheNextSelect() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                java.nio.channels.Pipe pipe = readablePipe();
                try (StrandSelector selector = StrandSelector.open()) {
                    selector.register(pipe.source(), SelectionKey.OP_READ, null);
                    for (int round = 0; round < 20; round++) {
                        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                        assertEquals(1, selector.select(Tck.HANG, k -> {
                            try {
                                while (pipe.source().read(ByteBuffer.allocate(16)) > 0) {
                                    // drained: nothing is ready for the next select
                                }
                                Thread waker = Thread.ofPlatform().start(selector::wakeup);
                                waker.join();
                            } catch (java.io.IOException | InterruptedException e) {
                                throw new AssertionError(e);
                            }
                        }), "round " + round);
                        long start = System.nanoTime();
                        assertEquals(0, selector.select(Tck.HANG, k -> { }), "round " + round);
                        assertTrue(System.nanoTime() - start < Tck.HANG.toNanos() / 2,
                                "the wakeup of round " + round + " was lost");
                    }
                } finally {
                    closeQuietly(pipe);
                }
                return null;
            });
        }
    }

    @Test
    default void aChannelMovesToANewSelectorAfterItsKeyIsCancelledOrItsSelectorClosed() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                java.nio.channels.Pipe pipe = readablePipe();
                try {
                    StrandSelector first = StrandSelector.open();
                    StrandSelector.Key key = first.register(pipe.source(), SelectionKey.OP_READ, "first");
                    key.cancel();
                    try (StrandSelector second = StrandSelector.open()) {
                        second.register(pipe.source(), SelectionKey.OP_READ, "second");
                        assertEquals(1, second.select(Duration.ofSeconds(5), k -> assertEquals("second", k.attachment())));
                        first.close();
                    }
                    try (StrandSelector third = StrandSelector.open()) {
                        third.register(pipe.source(), SelectionKey.OP_READ, "third");
                        assertEquals(1, third.select(Duration.ofSeconds(5), k -> assertEquals("third", k.attachment())));
                    }
                } finally {
                    closeQuietly(pipe);
                }
                return null;
            });
        }
    }

    @Test
    default void aKeyWithNoInterestLeftIsNotReported() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                java.nio.channels.Pipe pipe = readablePipe();
                try (StrandSelector selector = StrandSelector.open()) {
                    StrandSelector.Key key = selector.register(pipe.source(), SelectionKey.OP_READ, null);
                    Strand.sleep(Duration.ofMillis(20)); // a user-level carrier polls meanwhile and finds it ready
                    key.interestOps(0);
                    assertEquals(0, selector.select(Duration.ofMillis(20), k -> { }),
                            "interest removed after the channel became ready, before a select reported it");
                    key.interestOps(SelectionKey.OP_READ);
                    assertEquals(1, selector.select(Duration.ofSeconds(5), k -> k.interestOps(0)),
                            "reported once, and the action removes the interest (back-pressure)");
                    assertEquals(0, selector.select(Duration.ofMillis(20), k -> { }), "no interest, no report");
                    key.interestOps(SelectionKey.OP_READ);
                    assertEquals(1, selector.select(Duration.ofSeconds(5), k -> { }), "interest back: reported");
                } finally {
                    closeQuietly(pipe);
                }
                return null;
            });
        }
    }

    @Test
    default void hugeTimeoutsSaturateAndAnotherThreadMayClose() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                StrandSelector selector = StrandSelector.open();
                selector.wakeup();
                assertEquals(0, selector.select(Duration.ofSeconds(Long.MAX_VALUE), k -> { }),
                        "a timeout beyond the nanosecond range saturates");
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        selector.close();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                closer.join();
                org.junit.jupiter.api.Assertions.assertThrows(java.nio.channels.ClosedSelectorException.class,
                        () -> selector.select(Duration.ZERO, k -> { }));
                return null;
            });
        }
    }
}
