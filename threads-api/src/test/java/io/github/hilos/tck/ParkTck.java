package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.CountDownLatch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Park/unpark permits, timed parks, sleep and interrupts. Timing is checked loosely: lower bounds where the
 * contract gives one, and {@link Tck#HANG} as the only upper bound.
 */
public interface ParkTck extends RuntimeUnderTest {

    @Test
    default void unparkBeforeParkIsNotLost() throws Exception {
        try (StrandRuntime rt = open()) {
            AtomicBoolean unparked = new AtomicBoolean();
            Strand s = rt.spawn(() -> {
                while (!unparked.get()) {
                    Strand.yield();
                }
                Strand.park(); // the permit is there: returns without another unpark
            });
            s.unpark();
            unparked.set(true);
            awaitEnd(s);
        }
    }

    @Test
    default void unparkWakesAParkedStrand() throws Exception {
        try (StrandRuntime rt = open()) {
            for (int round = 0; round < 100; round++) {
                AtomicBoolean go = new AtomicBoolean();
                CountDownLatch parking = new CountDownLatch(1);
                Strand s = rt.spawn(() -> {
                    parking.countDown();
                    while (!go.get()) {
                        Strand.park();
                    }
                });
                parking.await();
                go.set(true);
                s.unpark();
                awaitEnd(s);
            }
        }
    }

    @Test
    default void manyUnparksLeaveOnePermit() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                Strand me = Strand.current();
                me.unpark();
                me.unpark();
                me.unpark();
                Strand.park(); // consumes the single permit
                long start = System.nanoTime();
                Strand.parkNanos(Duration.ofMillis(100).toNanos());
                Strand.parkNanos(Duration.ofMillis(100).toNanos());
                long elapsed = System.nanoTime() - start;
                // Spurious returns are allowed, but two in a row right after a permit was consumed would mean
                // the permits were counted.
                assertTrue(elapsed >= Duration.ofMillis(100).toNanos(),
                        "unparks were counted: two timed parks returned after " + elapsed + " ns");
                return null;
            });
        }
    }

    @Test
    default void parkNanosReturnsByItselfAndNonPositiveReturnsAtOnce() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                Strand.parkNanos(Duration.ofMillis(20).toNanos());
                Strand.parkNanos(0);
                Strand.parkNanos(-1);
                return null;
            });
        }
    }

    @Test
    default void sleepSleepsAtLeastTheDuration() throws Exception {
        try (StrandRuntime rt = open()) {
            long elapsed = rt.run(() -> {
                long start = System.nanoTime();
                Strand.sleep(Duration.ofMillis(50));
                return System.nanoTime() - start;
            });
            assertTrue(elapsed >= Duration.ofMillis(50).toNanos(), "slept only " + elapsed + " ns");
            rt.run(() -> {
                Strand.sleep(Duration.ZERO);
                return null;
            });
        }
    }

    @Test
    default void sleepingStrandsDoNotBlockEachOther() throws Exception {
        try (StrandRuntime rt = open()) {
            long start = System.nanoTime();
            Tck.runAll(rt, 50, i -> Strand.sleep(Duration.ofMillis(200)));
            long elapsed = System.nanoTime() - start;
            // 50 sleeps of 200 ms in sequence would take 10 s; any overlap at all stays far below.
            assertTrue(elapsed < Duration.ofSeconds(8).toNanos(), "sleeps ran one after another: " + elapsed + " ns");
        }
    }

    @Test
    default void interruptWakesAParkedStrand() throws Exception {
        try (StrandRuntime rt = open()) {
            CountDownLatch parking = new CountDownLatch(1);
            Strand s = rt.spawn(() -> {
                parking.countDown();
                while (!Strand.current().isInterrupted()) {
                    Strand.park();
                }
            });
            parking.await();
            s.interrupt();
            awaitEnd(s);
        }
    }

    @Test
    default void interruptWakesASleepingStrandWhichThrowsWithTheStatusCleared() throws Exception {
        try (StrandRuntime rt = open()) {
            CountDownLatch sleeping = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean statusAfter = new AtomicBoolean(true);
            Strand s = rt.spawn(() -> {
                sleeping.countDown();
                try {
                    Strand.sleep(Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    thrown.set(e);
                    statusAfter.set(Strand.current().isInterrupted());
                }
            });
            sleeping.await();
            s.interrupt();
            awaitEnd(s);
            assertInstanceOf(InterruptedException.class, thrown.get());
            assertFalse(statusAfter.get(), "InterruptedException clears the status");
        }
    }

    @Test
    default void anInterruptedStrandThrowsAtItsNextSleepAndParkReturns() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                Strand me = Strand.current();
                me.interrupt();
                assertTrue(me.isInterrupted());
                Strand.park(); // returns at once while the status is set
                assertTrue(me.isInterrupted(), "park does not clear the status");
                assertThrows(InterruptedException.class, () -> Strand.sleep(Duration.ofMinutes(5)));
                assertFalse(me.isInterrupted());
                me.interrupt();
                assertTrue(Strand.interrupted());
                assertFalse(Strand.interrupted());
                return null;
            });
        }
    }

    @Test
    default void joinIsInterruptible() throws Exception {
        try (StrandRuntime rt = open()) {
            CountDownLatch never = new CountDownLatch(1);
            Strand blocked = rt.spawn(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    // released at the end of the test
                }
            });
            CountDownLatch joining = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Strand joiner = rt.spawn(() -> {
                joining.countDown();
                try {
                    blocked.join();
                } catch (InterruptedException e) {
                    thrown.set(e);
                }
            });
            joining.await();
            joiner.interrupt();
            awaitEnd(joiner);
            assertInstanceOf(InterruptedException.class, thrown.get());
            never.countDown();
            awaitEnd(blocked);
        }
    }
}
