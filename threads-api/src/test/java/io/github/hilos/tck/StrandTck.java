package io.github.hilos.tck;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandLocal;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.CountDownLatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The life of a strand and of a runtime: spawn, join, run, exceptions, close, locals, bad input. */
public interface StrandTck extends RuntimeUnderTest {

    @Test
    default void runtimeHasItsName() {
        try (StrandRuntime rt = open()) {
            assertEquals(runtimeName(), rt.name());
        }
    }

    @Test
    default void spawnRunsTheTaskAndJoinWaitsForIt() throws Exception {
        try (StrandRuntime rt = open()) {
            AtomicBoolean ran = new AtomicBoolean();
            Strand s = rt.spawn("worker", () -> ran.set(true));
            awaitEnd(s);
            assertTrue(ran.get());
            assertFalse(s.isAlive(), "a joined strand is not alive");
            assertEquals("worker", s.name());
        }
    }

    @Test
    default void currentInsideAStrandIsThatStrand() throws Exception {
        try (StrandRuntime rt = open()) {
            CountDownLatch published = new CountDownLatch(1);
            AtomicReference<Strand> spawned = new AtomicReference<>();
            AtomicReference<Strand> seen = new AtomicReference<>();
            Strand s = rt.spawn(() -> {
                try {
                    published.await();
                    seen.set(Strand.current());
                    assertSame(Strand.current(), Strand.current());
                    assertTrue(Strand.current().isAlive());
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            spawned.set(s);
            published.countDown();
            awaitEnd(s);
            assertSame(spawned.get(), seen.get());
        }
    }

    @Test
    default void currentOnAPlainThreadIsAStableViewOfIt() {
        Strand me = Strand.current();
        assertSame(me, Strand.current());
        assertTrue(me.isAlive());
        assertEquals(Thread.currentThread().getName(), me.name());
    }

    @Test
    default void runReturnsTheValue() throws Exception {
        try (StrandRuntime rt = open()) {
            assertEquals(42, rt.run(() -> 6 * 7));
            assertEquals("strand", rt.run(() -> Strand.current() != null ? "strand" : "none"));
        }
    }

    @Test
    default void runRethrowsTheTasksException() {
        try (StrandRuntime rt = open()) {
            IOException checked = new IOException("boom");
            assertSame(checked, assertThrows(IOException.class, () -> rt.run(() -> {
                throw checked;
            })));
            IllegalStateException unchecked = new IllegalStateException("bang");
            assertSame(unchecked, assertThrows(IllegalStateException.class, () -> rt.run(() -> {
                throw unchecked;
            })));
            StackOverflowError error = new StackOverflowError("deep");
            assertSame(error, assertThrows(StackOverflowError.class, () -> rt.run(() -> {
                throw error;
            })));
        }
    }

    @Test
    default void uncaughtExceptionsGoToTheHandlerAndTheRuntimeGoesOn() throws Exception {
        ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
        RuntimeOptions options = RuntimeOptions.defaults()
                .withExceptionHandler((strand, failure) -> reports.add(strand.name() + ":" + failure.getMessage()));
        try (StrandRuntime rt = open(options)) {
            List<Strand> failing = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                failing.add(rt.spawn("failing-" + i, () -> {
                    throw new IllegalStateException("failure " + n);
                }));
            }
            for (Strand s : failing) {
                awaitEnd(s);
            }
            assertEquals(42, rt.run(() -> 42), "the runtime still runs strands after failures");
        }
        assertEquals(3, reports.size(), "one report per failed strand: " + reports);
        assertTrue(reports.contains("failing-1:failure 1"), reports::toString);
    }

    @Test
    default void aHandlerThatThrowsDoesNotStopTheRuntime() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().withExceptionHandler((strand, failure) -> {
            throw new IllegalStateException("handler failed too (expected by the test)");
        });
        try (StrandRuntime rt = open(options)) {
            for (int i = 0; i < 3; i++) {
                awaitEnd(rt.spawn(() -> {
                    throw new IllegalArgumentException("strand failure (expected by the test)");
                }));
            }
            assertEquals("alive", rt.run(() -> "alive"));
        }
    }

    @Test
    default void joinWithATimeoutReturnsFalseWhileTheStrandRuns() throws Exception {
        try (StrandRuntime rt = open()) {
            CountDownLatch release = new CountDownLatch(1);
            Strand s = rt.spawn(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertFalse(s.join(Duration.ofMillis(20)));
            assertTrue(s.isAlive());
            release.countDown();
            assertTrue(s.join(Tck.HANG));
            assertTrue(s.join(Duration.ZERO), "join(0) of an ended strand is true");
        }
    }

    @Test
    default void badArgumentsAreRefusedWithClearMessages() throws Exception {
        try (StrandRuntime rt = open()) {
            assertEquals("task", assertThrows(NullPointerException.class, () -> rt.spawn(null)).getMessage());
            assertEquals("strand name", assertThrows(NullPointerException.class,
                    () -> rt.spawn(null, () -> { })).getMessage());
            assertThrows(NullPointerException.class, () -> rt.run(null));
            Strand s = rt.spawn(() -> { });
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> s.join(Duration.ofMillis(-5)));
            assertTrue(negative.getMessage().contains("-0.005"), negative.getMessage());
            awaitEnd(s);
            assertThrows(IllegalArgumentException.class, () -> rt.run(() -> {
                Strand.sleep(Duration.ofSeconds(-1));
                return null;
            }));
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Runtimes.open("no-such-runtime"));
        assertTrue(unknown.getMessage().contains("no-such-runtime"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains(runtimeName()), "lists the known runtimes: " + unknown.getMessage());
        IllegalArgumentException setting = assertThrows(IllegalArgumentException.class,
                () -> open(RuntimeOptions.defaults().with("no-such-setting", "1")));
        assertTrue(setting.getMessage().contains("no-such-setting"), setting.getMessage());
    }

    @Test
    default void closeWaitsForLiveStrands() throws Exception {
        AtomicInteger finished = new AtomicInteger();
        List<Strand> strands = new ArrayList<>();
        StrandRuntime rt = open();
        for (int i = 0; i < 10; i++) {
            strands.add(rt.spawn(() -> {
                try {
                    Strand.sleep(Duration.ofMillis(50));
                    Strand.yield();
                    finished.incrementAndGet();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        rt.close();
        assertEquals(10, finished.get(), "close() returned before its strands ended");
        for (Strand s : strands) {
            assertFalse(s.isAlive());
        }
    }

    @Test
    default void closeWithATimeoutReportsStrandsStillAlive() throws Exception {
        StrandRuntime rt = open();
        CountDownLatch release = new CountDownLatch(1);
        Strand blocked = rt.spawn(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertFalse(rt.close(Duration.ofMillis(20)), "a strand is still alive");
        assertThrows(IllegalStateException.class, () -> rt.spawn(() -> { }), "closing refuses spawns already");
        assertTrue(blocked.isAlive());
        release.countDown();
        assertTrue(rt.close(Tck.HANG));
        assertFalse(blocked.isAlive());
        assertThrows(IllegalArgumentException.class, () -> rt.close(Duration.ofSeconds(-1)));
    }

    @Test
    default void closeRefusesNewStrandsAndIsIdempotent() {
        StrandRuntime rt = open();
        rt.close();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> rt.spawn(() -> { }));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> rt.run(() -> 1));
        rt.close();
    }

    @Test
    default void closeFromItsOwnStrandIsRefused() throws Exception {
        try (StrandRuntime rt = open()) {
            IllegalStateException e = rt.run(() -> assertThrows(IllegalStateException.class, rt::close));
            assertTrue(e.getMessage().contains("itself"), e.getMessage());
            assertEquals(1, rt.run(() -> 1), "the refused close left the runtime open");
        }
    }

    @Test
    default void strandsSpawnStrands() throws Exception {
        try (StrandRuntime rt = open()) {
            AtomicInteger leaves = new AtomicInteger();
            int fanOut = 4;
            int depth = 4;
            rt.run(() -> {
                spawnTree(rt, depth, fanOut, leaves);
                return null;
            });
            assertEquals((int) Math.pow(fanOut, depth), leaves.get());
        }
    }

    private static void spawnTree(StrandRuntime rt, int depth, int fanOut, AtomicInteger leaves) throws Exception {
        if (depth == 0) {
            leaves.incrementAndGet();
            return;
        }
        Tck.Failures failures = new Tck.Failures();
        List<Strand> children = new ArrayList<>();
        for (int i = 0; i < fanOut; i++) {
            children.add(rt.spawn(failures.guard(ignored -> spawnTree(rt, depth - 1, fanOut, leaves), i)));
        }
        for (Strand child : children) {
            awaitEnd(child, failures);
        }
        failures.rethrow();
    }

    @Test
    default void manyStrandsAllRunOnce() throws Exception {
        int n = 5_000;
        try (StrandRuntime rt = open()) {
            AtomicInteger[] runs = new AtomicInteger[n];
            for (int i = 0; i < n; i++) {
                runs[i] = new AtomicInteger();
            }
            Tck.runAll(rt, n, i -> runs[i].incrementAndGet());
            for (int i = 0; i < n; i++) {
                assertEquals(1, runs[i].get(), "strand " + i);
            }
        }
    }

    @Test
    default void yieldLetsOtherStrandsRun() throws Exception {
        try (StrandRuntime rt = open()) {
            AtomicInteger turns = new AtomicInteger();
            AtomicBoolean otherRan = new AtomicBoolean();
            Tck.runAll(rt, 2, i -> {
                if (i == 0) {
                    // Yields until the other strand has run: on a one-carrier runtime only yield lets it.
                    while (!otherRan.get()) {
                        Strand.yield();
                        turns.incrementAndGet();
                    }
                } else {
                    otherRan.set(true);
                }
            });
            assertTrue(otherRan.get());
        }
    }

    @Test
    default void strandLocalsArePerStrand() throws Exception {
        StrandLocal<String> local = new StrandLocal<>();
        AtomicInteger initialCalls = new AtomicInteger();
        StrandLocal<Integer> counted = StrandLocal.withInitial(initialCalls::incrementAndGet);
        try (StrandRuntime rt = open()) {
            CountDownLatch allSet = new CountDownLatch(4);
            Tck.runAll(rt, 4, i -> {
                local.set("value-" + i);
                if (i != 0) {
                    int first = counted.get();
                    assertEquals(first, counted.get(), "the initial value is kept once read");
                }
                allSet.countDown();
                allSet.await();
                Strand.yield();
                assertEquals("value-" + i, local.get());
                local.remove();
                assertEquals(null, local.get());
                local.set(null);
                assertEquals(null, local.get());
            });
        }
        assertEquals(3, initialCalls.get(), "the initial value is computed once per strand that reads it");
    }

    /**
     * A strand pays for the strand-locals it touches, not for every one the program ever made: 1 000 000 dropped
     * strand-locals, then 200 live strands setting one fresh strand-local each, must not grow the heap by more
     * than a few megabytes (an index-sized table per strand grew it by about a gigabyte).
     */
    @Test
    default void strandLocalsCostNothingForLocalsOtherStrandsDropped() throws Exception {
        for (int i = 0; i < 1_000_000; i++) {
            new StrandLocal<Integer>().set(i); // set on this thread's view: each one used, then dropped
        }
        try (StrandRuntime rt = open()) {
            long before = Tck.usedHeapAfterGc();
            CountDownLatch set = new CountDownLatch(200);
            CountDownLatch release = new CountDownLatch(1);
            List<Strand> strands = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                strands.add(rt.spawn("local-" + i, () -> {
                    StrandLocal<String> fresh = new StrandLocal<>();
                    fresh.set("mine");
                    set.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    assertEquals("mine", fresh.get());
                }));
            }
            set.await();
            long grown = Tck.usedHeapAfterGc() - before;
            release.countDown();
            for (Strand s : strands) {
                Tck.awaitEnd(s);
            }
            assertTrue(grown < 5 * 1024 * 1024, "heap grew by " + grown / 1024 + " KiB for 200 strand-locals");
        }
    }
}
