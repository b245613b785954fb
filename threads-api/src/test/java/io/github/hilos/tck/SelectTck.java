package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.ChannelClosedException;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.sync.Select;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Select over several channels: readiness, waiting, fairness, timeouts, close, exactly-once. */
public interface SelectTck extends RuntimeUnderTest {

    @Test
    default void selectTakesTheReadyCase() throws Exception {
        Channel<String> a = Channels.bounded(1);
        Channel<String> b = Channels.bounded(1);
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                b.send("from b");
                AtomicReference<String> got = new AtomicReference<>();
                int fired = new Select().onReceive(a, got::set).onReceive(b, got::set).await();
                assertEquals(1, fired);
                assertEquals("from b", got.get());
                assertEquals(-1, new Select().onReceive(a, got::set).onReceive(b, got::set).poll());
                assertEquals(-1, new Select().onReceive(a, got::set).await(Duration.ofMillis(10)));
                return null;
            });
        }
    }

    @Test
    default void selectWaitsUntilACaseIsReady() throws Exception {
        Channel<Integer> a = Channels.rendezvous();
        Channel<Integer> b = Channels.rendezvous();
        try (StrandRuntime rt = open()) {
            for (int round = 0; round < 50; round++) {
                Channel<Integer> target = round % 2 == 0 ? a : b;
                int value = round;
                Strand sender = rt.spawn(() -> {
                    try {
                        Strand.yield();
                        target.send(value);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                AtomicInteger got = new AtomicInteger(-1);
                int fired = rt.run(() -> new Select().onReceive(a, got::set).onReceive(b, got::set).await());
                assertEquals(round % 2, fired);
                assertEquals(value, got.get());
                awaitEnd(sender);
            }
        }
    }

    @Test
    default void selectSendCaseMeetsAWaitingReceiver() throws Exception {
        Channel<String> out = Channels.rendezvous();
        Channel<String> never = Channels.rendezvous();
        try (StrandRuntime rt = open()) {
            AtomicReference<String> received = new AtomicReference<>();
            Strand receiver = rt.spawn(() -> {
                try {
                    received.set(out.receive());
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            AtomicBoolean sent = new AtomicBoolean();
            int fired = rt.run(() -> new Select()
                    .onReceive(never, v -> { })
                    .onSend(out, "payload", () -> sent.set(true))
                    .await(Tck.HANG));
            assertEquals(1, fired);
            assertTrue(sent.get());
            awaitEnd(receiver);
            assertEquals("payload", received.get());
        }
    }

    @Test
    default void selectChoosesFairlyAmongReadyCases() throws Exception {
        Channel<Integer> a = Channels.unbounded();
        Channel<Integer> b = Channels.unbounded();
        int rounds = 2_000;
        int[] counts = new int[2];
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                for (int i = 0; i < rounds; i++) {
                    a.send(i);
                    b.send(i);
                }
                Select select = new Select().onReceive(a, v -> counts[0]++).onReceive(b, v -> counts[1]++);
                for (int i = 0; i < rounds; i++) {
                    select.await();
                }
                return null;
            });
        }
        assertEquals(rounds, counts[0] + counts[1]);
        assertTrue(counts[0] > rounds / 4 && counts[1] > rounds / 4,
                "one channel starved the other: " + counts[0] + " vs " + counts[1]);
    }

    @Test
    default void aReadyCaseAfterAnIdleOneIsNotFavoured() throws Exception {
        Channel<Integer> a = Channels.unbounded();
        Channel<Integer> b = Channels.unbounded();
        Channel<Integer> idle = Channels.rendezvous();
        int rounds = 3_000;
        int[] counts = new int[3];
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                for (int i = 0; i < rounds; i++) {
                    a.send(i);
                    b.send(i);
                }
                Select select = new Select().onReceive(a, v -> counts[0]++).onReceive(b, v -> counts[1]++)
                        .onReceive(idle, v -> counts[2]++);
                for (int i = 0; i < rounds; i++) {
                    select.await();
                }
                return null;
            });
        }
        // A scan from a random start would pick a (after the idle case) 2/3 of the time.
        assertTrue(counts[0] < rounds * 0.6 && counts[1] < rounds * 0.6,
                "ready cases not chosen uniformly: " + counts[0] + " vs " + counts[1]);
    }

    @Test
    default void selectSkipsClosedChannelsAndFailsWhenAllAreClosed() throws Exception {
        Channel<Integer> closed = Channels.bounded(1);
        Channel<Integer> open = Channels.bounded(1);
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                closed.close();
                open.send(5);
                AtomicInteger got = new AtomicInteger();
                assertEquals(1, new Select().onReceive(closed, got::set).onReceive(open, got::set).await());
                assertEquals(5, got.get());
                open.close();
                assertThrows(ChannelClosedException.class,
                        () -> new Select().onReceive(closed, got::set).onReceive(open, got::set).await());
                assertThrows(ChannelClosedException.class,
                        () -> new Select().onSend(closed, 1, () -> { }).poll());
                assertThrows(IllegalStateException.class, () -> new Select().poll());
                return null;
            });
            // A select already waiting learns of the close.
            Channel<Integer> c = Channels.rendezvous();
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Strand selector = rt.spawn(() -> {
                started.countDown();
                try {
                    new Select().onReceive(c, v -> { }).await();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            started.await();
            Strand.sleep(Duration.ofMillis(10));
            c.close();
            awaitEnd(selector);
            assertTrue(thrown.get() instanceof ChannelClosedException, String.valueOf(thrown.get()));
        }
    }

    @Test
    default void selectingConsumersReceiveEveryValueOnce() throws Exception {
        Channel<Integer> a = Channels.bounded(2);
        Channel<Integer> b = Channels.rendezvous();
        int perProducer = 2_000;
        AtomicIntegerArray received = new AtomicIntegerArray(4 * perProducer);
        try (StrandRuntime rt = open()) {
            CountDownLatch produced = new CountDownLatch(4);
            Tck.runAll(rt, 8, i -> {
                if (i < 4) {
                    Channel<Integer> target = i % 2 == 0 ? a : b;
                    for (int k = 0; k < perProducer; k++) {
                        target.send(i * perProducer + k);
                    }
                    produced.countDown();
                    if (i == 0) {
                        produced.await();
                        a.close();
                        b.close();
                    }
                } else {
                    Select select = new Select().onReceive(a, received::incrementAndGet)
                            .onReceive(b, received::incrementAndGet);
                    try {
                        for (;;) {
                            select.await();
                        }
                    } catch (ChannelClosedException drained) {
                        // both closed and drained
                    }
                }
            });
        }
        for (int v = 0; v < received.length(); v++) {
            assertEquals(1, received.get(v), "value " + v + " received " + received.get(v) + " times");
        }
    }

    @Test
    default void anInterruptedSelectThrows() throws Exception {
        Channel<Integer> c = Channels.rendezvous();
        try (StrandRuntime rt = open()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            Strand selector = rt.spawn(() -> {
                started.countDown();
                try {
                    new Select().onReceive(c, v -> { }).await();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            started.await();
            selector.interrupt();
            awaitEnd(selector);
            assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
            assertEquals(null, c.tryReceive());
        }
    }
}
