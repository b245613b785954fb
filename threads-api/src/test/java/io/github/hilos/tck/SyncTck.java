package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.sync.Mutex;
import io.github.hilos.sync.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;

import static io.github.hilos.tck.Tck.awaitCondition;
import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutex, conditions, semaphore and latch under contention from many strands. */
public interface SyncTck extends RuntimeUnderTest {

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    default void mutexExcludes(boolean fair) throws Exception {
        Mutex mutex = new Mutex(fair);
        AtomicInteger inside = new AtomicInteger();
        int[] counter = {0};
        int strands = 16;
        int rounds = 300;
        try (StrandRuntime rt = open()) {
            Tck.runAll(rt, strands, i -> {
                for (int r = 0; r < rounds; r++) {
                    mutex.lock();
                    try {
                        assertEquals(1, inside.incrementAndGet(), "two strands inside the mutex");
                        int seen = counter[0];
                        if (r % 7 == 0) {
                            Strand.yield(); // let others contend while held
                        }
                        counter[0] = seen + 1;
                        inside.decrementAndGet();
                    } finally {
                        mutex.unlock();
                    }
                }
            });
        }
        assertEquals(strands * rounds, counter[0]);
        assertFalse(mutex.isLocked());
    }

    @Test
    default void mutexIsReentrantAndChecksItsOwner() throws Exception {
        Mutex mutex = new Mutex();
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                mutex.lock();
                mutex.lock();
                assertEquals(2, mutex.getHoldCount());
                assertTrue(mutex.isHeldByCurrentStrand());
                mutex.unlock();
                assertTrue(mutex.isLocked());
                return null;
            });
            // held by a strand that ended: another strand may not unlock it
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, () -> rt.run(() -> {
                mutex.unlock();
                return null;
            }));
            assertTrue(e.getMessage().contains("held by"), e.getMessage());
            assertFalse(rt.<Boolean>run(() -> mutex.tryLock()));
            assertFalse(rt.run(() -> mutex.tryLock(Duration.ofMillis(20))));
        }
    }

    @Test
    default void lockInterruptiblyThrowsAndLeavesTheLockAlone() throws Exception {
        Mutex mutex = new Mutex();
        try (StrandRuntime rt = open()) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Strand holder = rt.spawn(() -> {
                mutex.lock();
                try {
                    held.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    mutex.unlock();
                }
            });
            held.await();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Strand waiter = rt.spawn(() -> {
                try {
                    mutex.lockInterruptibly();
                    mutex.unlock();
                } catch (InterruptedException e) {
                    thrown.set(e);
                }
            });
            awaitCondition("waiter queued", () -> mutex.queueLength() == 1);
            waiter.interrupt();
            awaitEnd(waiter);
            assertInstanceOf(InterruptedException.class, thrown.get());
            release.countDown();
            awaitEnd(holder);
            assertTrue(rt.<Boolean>run(() -> mutex.tryLock()), "the interrupted waiter did not take the lock");
        }
    }

    @Test
    default void fairMutexHandsOverInArrivalOrder() throws Exception {
        Mutex mutex = new Mutex(true);
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        try (StrandRuntime rt = open()) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Strand holder = rt.spawn(() -> {
                mutex.lock();
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                mutex.unlock();
            });
            held.await();
            List<Strand> waiters = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                waiters.add(rt.spawn(() -> {
                    mutex.lock();
                    order.add(n);
                    mutex.unlock();
                }));
                awaitCondition("waiter " + i + " queued", () -> mutex.queueLength() == n + 1);
            }
            release.countDown();
            awaitEnd(holder);
            for (Strand w : waiters) {
                awaitEnd(w);
            }
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), List.copyOf(order));
    }

    @Test
    default void conditionsReleaseTheLockAndWakeOnSignal() throws Exception {
        Mutex mutex = new Mutex();
        Condition notEmpty = mutex.newCondition();
        Condition notFull = mutex.newCondition();
        int[] slot = {0};
        boolean[] full = {false};
        int items = 500;
        AtomicInteger sum = new AtomicInteger();
        try (StrandRuntime rt = open()) {
            Tck.runAll(rt, 4, i -> {
                boolean producer = i < 2;
                for (int k = 1; k <= items; k++) {
                    mutex.lock();
                    try {
                        if (producer) {
                            while (full[0]) {
                                notFull.await();
                            }
                            slot[0] = k;
                            full[0] = true;
                            notEmpty.signal();
                        } else {
                            while (!full[0]) {
                                notEmpty.await();
                            }
                            sum.addAndGet(slot[0]);
                            full[0] = false;
                            notFull.signal();
                        }
                    } finally {
                        mutex.unlock();
                    }
                }
            });
        }
        assertEquals(2 * items * (items + 1) / 2, sum.get());
    }

    @Test
    default void conditionSignalAllTimeoutAndInterrupt() throws Exception {
        Mutex mutex = new Mutex();
        Condition changed = mutex.newCondition();
        boolean[] open = {false};
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                mutex.lock();
                try {
                    assertFalse(changed.await(20, TimeUnit.MILLISECONDS), "nobody signals: times out");
                    assertTrue(mutex.isHeldByCurrentStrand(), "the lock is held again after a timeout");
                    Strand.current().interrupt();
                    assertThrows(InterruptedException.class, changed::await);
                    assertTrue(mutex.isHeldByCurrentStrand(), "the lock is held again after an interrupt");
                } finally {
                    mutex.unlock();
                }
                assertThrows(IllegalMonitorStateException.class, changed::signal);
                return null;
            });
            AtomicInteger woken = new AtomicInteger();
            List<Strand> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiters.add(rt.spawn(() -> {
                    mutex.lock();
                    try {
                        while (!open[0]) {
                            changed.awaitUninterruptibly();
                        }
                        woken.incrementAndGet();
                    } finally {
                        mutex.unlock();
                    }
                }));
            }
            Strand.sleep(Duration.ofMillis(20));
            rt.run(() -> {
                mutex.lock();
                open[0] = true;
                changed.signalAll();
                mutex.unlock();
                return null;
            });
            for (Strand w : waiters) {
                awaitEnd(w);
            }
            assertEquals(5, woken.get());
        }
    }

    @Test
    default void aSignalledTimedAwaitReportsTheSignalEvenIfRelockingIsLate() throws Exception {
        Mutex mutex = new Mutex();
        Condition signalled = mutex.newCondition();
        try (StrandRuntime rt = open()) {
            // The signal must reach the waiter before its deadline; under heavy load the signaller may come too
            // late, which hasWaiters() reveals: then the attempt says nothing and is made again.
            for (int attempt = 0; attempt < 10; attempt++) {
                CountDownLatch waiting = new CountDownLatch(1);
                AtomicBoolean result = new AtomicBoolean();
                Strand waiter = rt.spawn(() -> {
                    mutex.lock();
                    try {
                        waiting.countDown();
                        result.set(signalled.await(200, TimeUnit.MILLISECONDS));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    } finally {
                        mutex.unlock();
                    }
                });
                boolean signalledInTime = rt.run(() -> {
                    waiting.await();
                    mutex.lock(); // the waiter released it inside await
                    try {
                        if (!mutex.hasWaiters(signalled)) {
                            return false; // it timed out already
                        }
                        signalled.signal();
                        Strand.sleep(Duration.ofMillis(300)); // hold the lock past the waiter's deadline
                        return true;
                    } finally {
                        mutex.unlock();
                    }
                });
                awaitEnd(waiter);
                if (signalledInTime) {
                    assertTrue(result.get(), "a signalled await(time) returned false: the signal was lost to the caller");
                    return;
                }
            }
            throw new AssertionError("in 10 attempts the signaller never reached the waiter within 200 ms");
        }
    }

    @Test
    default void semaphoreNeverGrantsMoreThanItsPermits() throws Exception {
        Semaphore semaphore = new Semaphore(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (StrandRuntime rt = open()) {
            Tck.runAll(rt, 20, i -> {
                for (int r = 0; r < 100; r++) {
                    semaphore.acquire();
                    try {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Strand.yield();
                        inside.decrementAndGet();
                    } finally {
                        semaphore.release();
                    }
                }
            });
        }
        assertTrue(most.get() <= 3, "more strands inside than permits: " + most.get());
        assertEquals(3, semaphore.availablePermits());
    }

    @Test
    default void semaphorePingPongLosesNoWakeUp() throws Exception {
        Semaphore ping = new Semaphore(0);
        Semaphore pong = new Semaphore(0);
        int rounds = 20_000;
        try (StrandRuntime rt = open()) {
            Tck.runAll(rt, 2, i -> {
                for (int r = 0; r < rounds; r++) {
                    if (i == 0) {
                        ping.release();
                        pong.acquire();
                    } else {
                        ping.acquire();
                        pong.release();
                    }
                }
            });
        }
        assertEquals(0, ping.availablePermits());
        assertEquals(0, pong.availablePermits());
    }

    @Test
    default void semaphoreServesWaitersInOrderAndLargeRequestsWait() throws Exception {
        Semaphore semaphore = new Semaphore(0);
        java.util.Set<Integer> served = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (StrandRuntime rt = open()) {
            List<Strand> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                int wanted = i == 2 ? 3 : 1;
                waiters.add(rt.spawn(() -> {
                    try {
                        semaphore.acquire(wanted);
                        served.add(n);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
                awaitCondition("waiter " + i + " queued", () -> semaphore.queueLength() == n + 1);
            }
            // Release permits one step at a time; after each step exactly the FIFO prefix is served.
            int[][] steps = {{1, 1}, {1, 2}, {1, 2}, {2, 3}, {1, 4}, {1, 5}};
            for (int[] step : steps) {
                semaphore.release(step[0]);
                int expected = step[1];
                awaitCondition(expected + " waiters served", () -> served.size() >= expected);
                Strand.sleep(Duration.ofMillis(10)); // give a wrongly woken waiter the time to show up
                assertEquals(java.util.stream.IntStream.range(0, expected).boxed().collect(java.util.stream.Collectors.toSet()),
                        served, "served after releasing " + step[0]);
            }
            for (Strand w : waiters) {
                awaitEnd(w);
            }
            assertEquals(0, semaphore.availablePermits());
        }
    }

    @Test
    default void semaphoreTimeoutsInterruptsAndBadArguments() throws Exception {
        Semaphore semaphore = new Semaphore(1);
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                assertTrue(semaphore.tryAcquire());
                assertFalse(semaphore.tryAcquire());
                assertFalse(semaphore.tryAcquire(Duration.ofMillis(20)));
                Strand.current().interrupt();
                assertThrows(InterruptedException.class, semaphore::acquire);
                semaphore.release();
                assertEquals(1, semaphore.availablePermits(), "the interrupted acquire took nothing");
                return null;
            });
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Semaphore(-2)).getMessage().contains("-2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> semaphore.release(0)).getMessage().contains("0"));
        assertThrows(IllegalArgumentException.class, () -> semaphore.tryAcquire(Duration.ofMillis(-1)));
    }

    @Test
    default void latchOpensForEveryWaiter() throws Exception {
        CountDownLatch latch = new CountDownLatch(3);
        AtomicInteger through = new AtomicInteger();
        try (StrandRuntime rt = open()) {
            List<Strand> waiters = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                waiters.add(rt.spawn(() -> {
                    try {
                        latch.await();
                        through.incrementAndGet();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            assertFalse(rt.run(() -> latch.await(Duration.ofMillis(20))));
            Tck.runAll(rt, 3, i -> latch.countDown());
            for (Strand w : waiters) {
                awaitEnd(w);
            }
            assertEquals(10, through.get());
            latch.countDown();
            assertEquals(0, latch.getCount());
            assertTrue(rt.run(() -> latch.await(Duration.ZERO)));
        }
        assertThrows(IllegalArgumentException.class, () -> new CountDownLatch(-1));
    }

    @Test
    default void primitivesWorkFromPlainThreads() throws Exception {
        Semaphore ping = new Semaphore(0);
        Semaphore pong = new Semaphore(0);
        AtomicBoolean failed = new AtomicBoolean();
        try (StrandRuntime rt = open()) {
            Strand strand = rt.spawn(() -> {
                try {
                    for (int r = 0; r < 1000; r++) {
                        ping.acquire();
                        pong.release();
                    }
                } catch (InterruptedException e) {
                    failed.set(true);
                }
            });
            for (int r = 0; r < 1000; r++) {
                ping.release();
                pong.acquire(); // this JUnit thread is a strand view of itself
            }
            awaitEnd(strand);
        }
        assertFalse(failed.get());
    }
}
