package io.github.hilos.ult;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failure paths of {@code ult}: what must not wedge a carrier or lose a strand. */
class UltRobustnessTest {

    @Test
    void interruptingAReaderWakesTheWriterOfTheSameSocket() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult")) {
            StrandServerSocket server = rt.run(() ->
                    StrandServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            StrandSocket[] pair = rt.run(() -> new StrandSocket[] {StrandSocket.connect(server.localAddress()), server.accept()});
            StrandSocket socket = pair[0];
            AtomicReference<Throwable> writerSaw = new AtomicReference<>();
            Strand writer = rt.spawn("writer", () -> {
                try {
                    socket.write(ByteBuffer.allocate(64 << 20)); // the peer never reads: waits for room
                } catch (Throwable t) {
                    writerSaw.set(t);
                }
            });
            Strand reader = rt.spawn("reader", () -> {
                try {
                    socket.read(ByteBuffer.allocate(16));
                } catch (IOException expected) {
                    // closed by its own interrupt
                }
            });
            Tck.awaitCondition("both wait on the socket", () -> ((UltRuntime) rt).dump().contains("writer [parked]")
                    && ((UltRuntime) rt).dump().contains("reader [parked]"));
            reader.interrupt();
            awaitEnd(reader);
            awaitEnd(writer);
            assertInstanceOf(IOException.class, writerSaw.get());
            rt.run(() -> {
                pair[1].close();
                server.close();
                return null;
            });
        }
    }

    @Test
    void aPolicyThatThrowsDoesNotTakeTheCarrierDown() throws Exception {
        SchedulingPolicy flaky = new SchedulingPolicy() {
            private final ArrayDeque<Strand> queue = new ArrayDeque<>();
            private int adds;

            @Override
            public void add(Strand strand, int priority, Reason reason) {
                if (++adds % 3 == 0) {
                    throw new IllegalStateException("flaky policy (expected by the test)");
                }
                queue.addLast(strand);
            }

            @Override
            public Strand poll() {
                return queue.pollFirst();
            }

            @Override
            public int size() {
                return queue.size();
            }
        };
        AtomicInteger steps = new AtomicInteger();
        UltRuntime rt = UltRuntimes.open(RuntimeOptions.defaults(), flaky);
        try (rt) {
            Tck.runAll(rt, 10, i -> {
                for (int k = 0; k < 20; k++) {
                    steps.incrementAndGet();
                    Strand.yield();
                }
            });
        }
        assertEquals(200, steps.get(), "every strand ran to the end although the policy threw on some adds");
    }

    @Test
    void anInterruptedStrandDoesNotStartAJacketedCall() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (StrandRuntime rt = Runtimes.open("ult")) {
            rt.run(() -> {
                Strand.current().interrupt();
                assertThrows(InterruptedException.class, () -> Jacket.call(() -> ran.getAndSet(true)));
                return null;
            });
        }
        assertFalse(ran.get());
    }

    @Test
    void cancelledJacketedCallsNeverMakeTheNextOneFail() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().with("jacket.threads", "1").with("jacket.queue", "0");
        AtomicBoolean letGo = new AtomicBoolean();
        try (StrandRuntime rt = Runtimes.open("ult", options)) {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            Strand stubborn = rt.spawn(() -> {
                try {
                    Jacket.call(() -> {
                        started.countDown();
                        while (!letGo.get()) {
                            Thread.onSpinWait(); // ignores interrupts on purpose
                        }
                        return null;
                    });
                } catch (Exception e) {
                    // interrupted, as the test wants
                }
            });
            assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS));
            stubborn.interrupt();
            awaitEnd(stubborn);
            Strand queued = rt.spawn(() -> {
                try {
                    Jacket.call(() -> null);
                } catch (Exception e) {
                    // interrupted while queued
                }
            });
            queued.interrupt();
            awaitEnd(queued);
            Strand last = rt.spawn(() -> {
                try {
                    assertEquals("done", Jacket.call(() -> "done"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            letGo.set(true);
            awaitEnd(last);
        }
    }

    @Test
    void liveStrandsCountsStrandsSpawnedFromOtherThreadsAtOnce() throws Exception {
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult")) {
            CountDownLatch release = new CountDownLatch(1);
            List<Strand> strands = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                strands.add(rt.spawn(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            assertEquals(100, rt.metrics().getLiveStrands());
            release.countDown();
            for (Strand s : strands) {
                awaitEnd(s);
            }
            // join returns when a strand's task ended; the runtime accounts for the end a moment later
            Tck.awaitCondition("no live strand", () -> rt.metrics().getLiveStrands() == 0);
        }
    }

    @Test
    void aZeroThresholdDisablesTheWatchdog() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().with("watchdog.threshold.ms", "0");
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult", options)) {
            Tck.runAll(rt, 5, i -> {
                long until = System.nanoTime() + Duration.ofMillis(30).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // holds the carrier without yielding
                }
            });
            assertEquals(List.of(), rt.stalls());
        }
    }

    @Test
    void badSettingsGetOneRuleAndOneMessage() {
        for (String bad : List.of("0", "-3", "x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Runtimes.open("ult", RuntimeOptions.defaults().with("jacket.threads", bad)));
            assertEquals("setting 'jacket.threads' must be an integer of at least 1: '" + bad + "'", e.getMessage(),
                    "one rule, one message, whatever the bad value");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runtimes.open("ult",
                RuntimeOptions.defaults().with("compensation.keepalive.ms", "100")));
        assertTrue(e.getMessage().contains("'hybrid'"), e.getMessage());
    }
}
