package io.github.hilos.ult;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.sync.Mutex;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A monitor held across a park deadlocks a user-level carrier: the checking mode makes the mistake fail at once,
 * naming the strand and the monitor; without it, the watchdog names the monitor the blocked carrier waits for.
 */
class MonitorCheckTest {

    /** A lock object whose class the messages must name. */
    static final class InventoryLock {
    }

    private static Throwable failureOf(UltRuntime rt, String name, Runnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Strand s = rt.spawn(name, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        awaitEnd(s);
        return failure.get();
    }

    @Test
    void aStrandThatParksOrYieldsInsideSynchronizedFailsAtOnceInCheckingMode() throws Exception {
        InventoryLock lock = new InventoryLock();
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult", RuntimeOptions.defaults().with("check.monitors", "true"))) {
            Throwable sleeping = failureOf(rt, "sleeper-in-sync", () -> {
                synchronized (lock) {
                    try {
                        Strand.sleep(Duration.ofMillis(1));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            assertTrue(sleeping instanceof IllegalMonitorStateException, String.valueOf(sleeping));
            assertTrue(sleeping.getMessage().contains("sleeper-in-sync"), sleeping.getMessage());
            assertTrue(sleeping.getMessage().contains(InventoryLock.class.getName()), sleeping.getMessage());
            Throwable yielding = failureOf(rt, "yielder-in-sync", () -> {
                synchronized (lock) {
                    Strand.yield();
                }
            });
            assertTrue(yielding instanceof IllegalMonitorStateException, String.valueOf(yielding));
            Mutex mutex = new Mutex();
            assertNull(failureOf(rt, "mutex-user", () -> {
                mutex.lock();
                try {
                    Strand.yield(); // the supported way: a strand-aware lock
                } finally {
                    mutex.unlock();
                }
            }));
            assertNull(failureOf(rt, "sync-without-park", () -> {
                synchronized (lock) {
                    lock.hashCode(); // a monitor that is released before any park is fine
                }
                Strand.yield();
            }));
        }
    }

    @Test
    void theHilosTestSuitesRunInCheckingMode() {
        assertTrue(Boolean.getBoolean("hilos.checkMonitors"), "the build sets -Dhilos.checkMonitors=true for tests");
    }

    @Test
    void theWatchdogNamesTheMonitorABlockedCarrierWaitsFor() throws Exception {
        InventoryLock lock = new InventoryLock();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread owner = Thread.ofPlatform().name("inventory-owner").start(() -> {
            synchronized (lock) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        held.await();
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult", RuntimeOptions.defaults()
                .with("watchdog.threshold.ms", "100"))) {
            Strand wants = rt.spawn("wants-it", () -> {
                synchronized (lock) { // blocks the carrier thread: a contended monitor is not jacketed
                    lock.hashCode();
                }
            });
            Tck.awaitCondition("the watchdog reports the blocked carrier", () -> !rt.stalls().isEmpty());
            StallReport report = rt.stalls().getFirst();
            assertEquals("wants-it", report.strandName());
            assertEquals(Thread.State.BLOCKED, report.carrierState());
            assertNotNull(report.blockedOn(), report.describe());
            assertTrue(report.blockedOn().contains(InventoryLock.class.getName()), report.blockedOn());
            assertTrue(report.blockedOn().contains("inventory-owner"), report.blockedOn());
            assertTrue(report.describe().contains("waiting for"), report.describe());
            release.countDown();
            awaitEnd(wants);
        } finally {
            release.countDown();
            owner.join();
        }
    }
}
