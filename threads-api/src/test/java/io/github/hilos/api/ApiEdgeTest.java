package io.github.hilos.api;

import io.github.hilos.spi.Durations;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's edges that need no runtime: argument checks, options, thread views, strand-locals on threads. */
class ApiEdgeTest {

    @Test
    void withoutAnyRuntimeOnTheClassPathTheErrorSaysWhatToAdd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runtimes.open("klt"));
        assertTrue(e.getMessage().contains("'klt'") && e.getMessage().contains("klt-adapter"), e.getMessage());
        assertEquals(List.of(), Runtimes.names());
        assertEquals("runtime name", assertThrows(NullPointerException.class, () -> Runtimes.open(null)).getMessage());
    }

    @Test
    void durationsAreCheckedAndSaturate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.toNanos(Duration.ofMillis(-3), "read timeout"));
        assertEquals("read timeout must not be negative: PT-0.003S", e.getMessage());
        assertEquals("read timeout", assertThrows(NullPointerException.class,
                () -> Durations.toNanos(null, "read timeout")).getMessage());
        assertEquals(Long.MAX_VALUE, Durations.toNanos(Duration.ofDays(365L * 1000), "x"));
        long deadline = Durations.deadline(Long.MAX_VALUE);
        assertTrue(deadline - System.nanoTime() > 0, "a huge timeout must not wrap into the past");
    }

    @Test
    void optionsAreImmutableCopies() {
        RuntimeOptions base = RuntimeOptions.defaults();
        RuntimeOptions more = base.with("carriers", "4");
        assertEquals(Map.of(), base.settings());
        assertEquals(Map.of("carriers", "4"), more.settings());
        assertThrows(UnsupportedOperationException.class, () -> more.settings().put("x", "y"));
        assertThrows(NullPointerException.class, () -> base.with("carriers", null));
        assertThrows(NullPointerException.class, () -> base.withExceptionHandler(null));
    }

    @Test
    void eachThreadIsItsOwnStrand() throws Exception {
        Strand main = Strand.current();
        Strand[] other = new Strand[2];
        Thread t = Thread.ofPlatform().name("view-test").start(() -> {
            other[0] = Strand.current();
            other[1] = Strand.current();
        });
        t.join();
        assertSame(other[0], other[1]);
        assertTrue(other[0] != main);
        assertEquals("view-test", other[0].name());
        assertEquals(t.threadId(), other[0].id());
    }

    @Test
    void strandLocalsOfManyVariablesStaySeparatePerThread() throws Exception {
        List<StrandLocal<Integer>> locals = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // more than the initial table of 8
            locals.add(StrandLocal.withInitial(() -> -1));
        }
        CountDownLatch done = new CountDownLatch(2);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 2; t++) {
            int base = t * 1000;
            Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < locals.size(); i++) {
                        assertEquals(-1, locals.get(i).get());
                        locals.get(i).set(base + i);
                    }
                    for (int i = 0; i < locals.size(); i++) {
                        assertEquals(base + i, locals.get(i).get());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        assertEquals(List.of(), failures);
        StrandLocal<String> plain = new StrandLocal<>();
        assertNull(plain.get());
    }

    @Test
    void strandLocalsSurviveGrowthAndRemovalInAnyOrder() {
        List<StrandLocal<Integer>> locals = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            StrandLocal<Integer> l = StrandLocal.withInitial(() -> -1);
            l.set(i);
            locals.add(l);
            if (i % 3 == 0) {
                locals.get(i / 2).remove();
            }
        }
        java.util.Set<Integer> removedIndexes = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i += 3) {
            removedIndexes.add(i / 2); // removed after it was set, never set again
        }
        for (int i = 0; i < locals.size(); i++) {
            int expected = i;
            boolean removed = removedIndexes.contains(i);
            assertEquals(removed ? -1 : expected, locals.get(i).get(), "local " + i);
        }
    }

    @Test
    void unlockingAMutexNobodyHoldsSaysSo() {
        io.github.hilos.sync.Mutex m = new io.github.hilos.sync.Mutex();
        IllegalMonitorStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalMonitorStateException.class, m::unlock);
        assertTrue(e.getMessage().endsWith("but the mutex is not held"), e.getMessage());
    }
}
