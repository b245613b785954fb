package io.github.hilos.ult;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jacketing proven by behaviour on one carrier: a strand blocked in a jacketed call, a sleep, or a socket read
 * does not stop the other strands of its carrier. No timing is asserted; latches decide.
 */
class JacketingTest {

    @Test
    void aJacketedBlockingCallLeavesTheCarrierToOthers() throws Exception {
        CountDownLatch heldByTheTest = new CountDownLatch(1); // a JDK latch: it would block a carrier
        try (StrandRuntime rt = Runtimes.open("ult")) {
            AtomicBoolean jacketedReturned = new AtomicBoolean();
            Strand blocked = rt.spawn("jacketed", () -> {
                try {
                    Jacket.call(() -> {
                        heldByTheTest.await();
                        return null;
                    });
                    jacketedReturned.set(true);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            AtomicInteger progress = new AtomicInteger();
            Tck.runAll(rt, 10, i -> {
                for (int k = 0; k < 1000; k++) {
                    progress.incrementAndGet();
                    Strand.yield();
                }
            });
            assertEquals(10_000, progress.get(), "the other strands finished while one waited in Jacket.call");
            assertFalse(jacketedReturned.get());
            heldByTheTest.countDown();
            awaitEnd(blocked);
            assertTrue(jacketedReturned.get());
            assertTrue(((UltRuntime) rt).metrics().getJacketedCalls() >= 1);
        }
    }

    @Test
    void interruptingTheStrandInterruptsTheJacketedCall() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch callStarted = new CountDownLatch(1);
        AtomicBoolean callSawInterrupt = new AtomicBoolean();
        AtomicReference<Throwable> strandSaw = new AtomicReference<>();
        try (StrandRuntime rt = Runtimes.open("ult")) {
            Strand s = rt.spawn(() -> {
                try {
                    Jacket.call(() -> {
                        callStarted.countDown();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            callSawInterrupt.set(true);
                            throw e;
                        }
                        return null;
                    });
                } catch (Throwable t) {
                    strandSaw.set(t);
                }
            });
            assertTrue(callStarted.await(30, TimeUnit.SECONDS));
            s.interrupt();
            awaitEnd(s);
            assertInstanceOf(InterruptedException.class, strandSaw.get());
            Tck.awaitCondition("the pool thread saw the interrupt", callSawInterrupt::get);
        }
    }

    @Test
    void anExhaustedJacketPoolQueuesCallersAndNeverDeadlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RuntimeOptions options = RuntimeOptions.defaults().with("jacket.threads", "2").with("jacket.queue", "1");
        try (StrandRuntime rt = Runtimes.open("ult", options)) {
            AtomicInteger done = new AtomicInteger();
            List<Strand> callers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                callers.add(rt.spawn(() -> {
                    try {
                        Jacket.call(() -> {
                            release.await();
                            return null;
                        });
                        done.incrementAndGet();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            Tck.awaitCondition("callers beyond the 3 slots wait",
                    () -> ((UltRuntime) rt).metrics().getJacketExhaustions() > 0);
            assertEquals(7, rt.run(() -> 7), "the carrier still runs strands while the pool is exhausted");
            release.countDown();
            for (Strand c : callers) {
                awaitEnd(c);
            }
            assertEquals(10, done.get());
        }
    }

    @Test
    void aThousandSleepingStrandsAllWake() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult")) {
            AtomicInteger woke = new AtomicInteger();
            Tck.runAll(rt, 1000, i -> {
                Strand.sleep(Duration.ofMillis(1 + i % 50));
                woke.incrementAndGet();
            });
            assertEquals(1000, woke.get());
        }
    }

    @Test
    void aSocketReadWithNoDataDoesNotStopACpuStrand() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult")) {
            StrandServerSocket server = rt.run(() ->
                    StrandServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            AtomicReference<Throwable> readerSaw = new AtomicReference<>();
            Strand reader = rt.spawn("reader", () -> {
                try (StrandSocket client = StrandSocket.connect(server.localAddress());
                     StrandSocket silentPeer = server.accept()) {
                    assertTrue(silentPeer.isOpen());
                    client.read(ByteBuffer.allocate(16)); // nobody writes: parks on the poller
                } catch (Throwable t) {
                    readerSaw.set(t);
                }
            });
            long sum = rt.run(() -> {
                long total = 0;
                for (int i = 0; i < 1_000_000; i++) {
                    total += i;
                    if (i % 10_000 == 0) {
                        Strand.yield();
                    }
                }
                return total;
            });
            assertEquals(499_999_500_000L, sum);
            assertTrue(reader.isAlive(), "the reader is still waiting for data");
            reader.interrupt(); // closes its socket, as interruptible channels do
            awaitEnd(reader);
            assertInstanceOf(java.nio.channels.ClosedByInterruptException.class, readerSaw.get());
            rt.run(() -> {
                server.close();
                return null;
            });
        }
    }
}
