package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.ChannelClosedException;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channels: exactly-once delivery, order, capacity, timeouts and close. */
public interface ChannelTck extends RuntimeUnderTest {

    /**
     * Makes a channel of a kind named by a test parameter.
     *
     * @param kind "rendezvous", "bounded" or "unbounded"
     * @return the channel
     */
    static Channel<Integer> channel(String kind) {
        return switch (kind) {
            case "rendezvous" -> Channels.rendezvous();
            case "bounded" -> Channels.bounded(4);
            case "unbounded" -> Channels.unbounded();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rendezvous", "bounded", "unbounded"})
    default void everyValueIsReceivedExactlyOnce(String kind) throws Exception {
        Channel<Integer> channel = channel(kind);
        int producers = 4;
        int consumers = 4;
        int perProducer = 2_000;
        AtomicIntegerArray received = new AtomicIntegerArray(producers * perProducer);
        try (StrandRuntime rt = open()) {
            CountDownLatch produced = new CountDownLatch(producers);
            Tck.runAll(rt, producers + consumers, i -> {
                if (i < producers) {
                    for (int k = 0; k < perProducer; k++) {
                        channel.send(i * perProducer + k);
                    }
                    produced.countDown();
                    if (i == 0) {
                        produced.await();
                        channel.close();
                    }
                } else {
                    int[] last = new int[producers];
                    java.util.Arrays.fill(last, -1);
                    try {
                        for (;;) {
                            int v = channel.receive();
                            received.incrementAndGet(v);
                            int from = v / perProducer;
                            assertTrue(v > last[from], "values of one producer arrived out of order");
                            last[from] = v;
                        }
                    } catch (ChannelClosedException closed) {
                        // drained
                    }
                }
            });
        }
        for (int v = 0; v < received.length(); v++) {
            assertEquals(1, received.get(v), "value " + v + " received " + received.get(v) + " times");
        }
    }

    @Test
    default void closeDrainsThenSignalsAndRefusesSends() throws Exception {
        Channel<String> channel = Channels.bounded(3);
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                channel.send("a");
                channel.send("b");
                channel.close();
                channel.close();
                assertTrue(channel.isClosed());
                ChannelClosedException refused = assertThrows(ChannelClosedException.class, () -> channel.send("c"));
                assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
                assertThrows(ChannelClosedException.class, () -> channel.trySend("c"));
                assertEquals("a", channel.receive());
                assertEquals("b", channel.tryReceive());
                assertThrows(ChannelClosedException.class, channel::receive);
                assertThrows(ChannelClosedException.class, channel::tryReceive);
                assertThrows(ChannelClosedException.class, () -> channel.receive(Duration.ofMillis(5)));
                return null;
            });
        }
    }

    @Test
    default void closeWakesWaitingReceiversAndSenders() throws Exception {
        Channel<Integer> empty = Channels.rendezvous();
        Channel<Integer> full = Channels.bounded(1);
        try (StrandRuntime rt = open()) {
            assertTrue(full.trySend(1));
            AtomicReference<Throwable> receiverSaw = new AtomicReference<>();
            AtomicReference<Throwable> senderSaw = new AtomicReference<>();
            Strand receiver = rt.spawn(() -> {
                try {
                    empty.receive();
                } catch (Throwable t) {
                    receiverSaw.set(t);
                }
            });
            Strand sender = rt.spawn(() -> {
                try {
                    full.send(2);
                } catch (Throwable t) {
                    senderSaw.set(t);
                }
            });
            Strand.sleep(Duration.ofMillis(20)); // let both park (not needed for correctness)
            empty.close();
            full.close();
            awaitEnd(receiver);
            awaitEnd(sender);
            assertInstanceOf(ChannelClosedException.class, receiverSaw.get());
            assertInstanceOf(ChannelClosedException.class, senderSaw.get());
            assertEquals(1, full.tryReceive(), "the buffered value survives close");
            assertThrows(ChannelClosedException.class, full::tryReceive, "the refused send delivered nothing");
        }
    }

    @Test
    default void capacityTryOperationsAndTimeouts() throws Exception {
        Channel<Integer> channel = Channels.bounded(2);
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                assertEquals(2, channel.capacity());
                assertNull(channel.tryReceive());
                assertNull(channel.receive(Duration.ofMillis(10)));
                assertTrue(channel.trySend(1));
                assertTrue(channel.send(2, Duration.ofMillis(10)));
                assertFalse(channel.trySend(3));
                assertFalse(channel.send(3, Duration.ofMillis(10)));
                assertEquals(1, channel.receive(Duration.ofMillis(10)));
                assertEquals(2, channel.receive());
                return null;
            });
        }
        assertEquals(0, Channels.rendezvous().capacity());
        assertEquals(Integer.MAX_VALUE, Channels.unbounded().capacity());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Channels.bounded(0));
        assertTrue(zero.getMessage().contains("rendezvous"), zero.getMessage());
        assertThrows(NullPointerException.class, () -> channel.trySend(null));
        assertThrows(IllegalArgumentException.class, () -> channel.receive(Duration.ofSeconds(-1)));
    }

    @Test
    default void aRendezvousSendWaitsForItsReceiver() throws Exception {
        Channel<String> channel = Channels.rendezvous();
        AtomicBoolean sent = new AtomicBoolean();
        try (StrandRuntime rt = open()) {
            Strand sender = rt.spawn(() -> {
                try {
                    channel.send("hello");
                    sent.set(true);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertFalse(sender.join(Duration.ofMillis(30)), "the send completed with no receiver");
            assertFalse(sent.get());
            assertEquals("hello", rt.run(channel::receive));
            awaitEnd(sender);
            assertTrue(sent.get());
        }
    }

    @Test
    default void interruptedSendersAndReceiversThrowAndDeliverNothing() throws Exception {
        Channel<Integer> channel = Channels.rendezvous();
        try (StrandRuntime rt = open()) {
            List<AtomicReference<Throwable>> seen = new ArrayList<>();
            List<Strand> strands = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                seen.add(thrown);
                boolean send = i == 0;
                Channel<Integer> target = send ? channel : Channels.rendezvous();
                strands.add(rt.spawn(() -> {
                    try {
                        if (send) {
                            target.send(7);
                        } else {
                            target.receive();
                        }
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                }));
            }
            Strand.sleep(Duration.ofMillis(20));
            for (Strand s : strands) {
                s.interrupt();
                awaitEnd(s);
            }
            for (AtomicReference<Throwable> thrown : seen) {
                assertInstanceOf(InterruptedException.class, thrown.get());
            }
            assertNull(channel.tryReceive(), "the interrupted send delivered its value");
        }
    }
}
