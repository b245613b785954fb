package io.github.hilos.hybrid;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.Channels;
import io.github.hilos.tck.Tck;
import io.github.hilos.ult.UltRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is particular to {@code hybrid}: carriers for life, balancing, no loss, affinity, settings. */
class HybridBehaviourTest {

    private static UltRuntime open(int carriers) {
        return (UltRuntime) Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "" + carriers));
    }

    @Test
    void aStartedStrandNeverChangesCarrierUnderHeavyStealingAndSpawning() throws Exception {
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger checks = new AtomicInteger();
        try (UltRuntime rt = open(2)) {
            Channel<Integer> shared = Channels.bounded(64);
            Runnable body = () -> {
                Strand me = Strand.current();
                Thread first = Thread.currentThread();
                int firstIndex = rt.carrierOf(me);
                try {
                    for (int k = 0; k < 10; k++) {
                        switch (k % 3) {
                            case 0 -> Strand.yield();
                            case 1 -> Strand.sleep(Duration.ofNanos(1 + k));
                            default -> {
                                shared.send(k); // parks when full: woken from the other carrier
                                shared.receive();
                            }
                        }
                        checks.incrementAndGet();
                        if (Thread.currentThread() != first || rt.carrierOf(me) != firstIndex) {
                            violations.add(me.name() + " moved from " + first.getName() + " to "
                                    + Thread.currentThread().getName());
                        }
                    }
                } catch (InterruptedException e) {
                    violations.add(me.name() + " interrupted");
                }
            };
            // Spawned from outside (injection queue) and from strands on both carriers (their own queues, stolen).
            Tck.runAll(rt, 20, i -> {
                List<Strand> children = new ArrayList<>();
                for (int c = 0; c < 500; c++) {
                    children.add(rt.spawn("child-" + i + "-" + c, body));
                }
                for (Strand child : children) {
                    child.join();
                }
            });
            long[] started = rt.metrics().getStrandsStartedPerCarrier();
            assertTrue(started[0] > 0 && started[1] > 0, "both carriers ran strands: " + started[0] + ", " + started[1]);
        }
        assertEquals(List.of(), List.copyOf(violations));
        assertEquals(10_000 * 10, checks.get());
    }

    @Test
    void aMillionStrandsFromStrandsAndOutsideThreadsEachRunExactlyOnce() throws Exception {
        int perSpawner = 125_000;
        int spawners = 8; // 4 outside threads, 4 strands
        AtomicIntegerArray runs = new AtomicIntegerArray(perSpawner * spawners);
        try (UltRuntime rt = open(2)) {
            List<Thread> outside = new ArrayList<>();
            List<Strand> inside = new ArrayList<>();
            for (int s = 0; s < spawners; s++) {
                int base = s * perSpawner;
                Runnable spawnAll = () -> {
                    for (int i = 0; i < perSpawner; i++) {
                        int slot = base + i;
                        rt.spawn(() -> runs.incrementAndGet(slot));
                    }
                };
                if (s % 2 == 0) {
                    outside.add(Thread.ofPlatform().start(spawnAll));
                } else {
                    inside.add(rt.spawn("spawner-" + s, spawnAll));
                }
            }
            for (Thread t : outside) {
                t.join();
            }
            for (Strand s : inside) {
                awaitEnd(s);
            }
        } // close() waits for every strand
        for (int i = 0; i < runs.length(); i++) {
            if (runs.get(i) != 1) {
                throw new AssertionError("strand " + i + " ran " + runs.get(i) + " times");
            }
        }
    }

    @Test
    void strandsSpawnedOnACarrierStayThereAndAreNotStolen() throws Exception {
        try (UltRuntime rt = open(2)) {
            ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
            List<Strand> strands = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                strands.add(rt.spawnOn(1, "pinned-to-1", () -> {
                    seen.add(rt.carrierOf(Strand.current()));
                    Strand.yield();
                    seen.add(rt.carrierOf(Strand.current()));
                }));
            }
            for (Strand s : strands) {
                awaitEnd(s);
            }
            assertEquals(400, seen.size());
            assertTrue(seen.stream().allMatch(c -> c == 1), seen::toString);
            assertThrows(IllegalArgumentException.class, () -> rt.spawnOn(2, "nowhere", () -> { }));
        }
    }

    @Test
    void carriersComeFromTheSettingOrThePropertyAndBadValuesAreRefused() throws Exception {
        try (UltRuntime rt = open(3)) {
            assertEquals(3, rt.carriers());
            assertEquals(3, rt.metrics().getCarriers());
        }
        System.setProperty(HybridRuntimeProvider.CARRIERS_PROPERTY, "lots");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runtimes.open("hybrid"));
            assertTrue(e.getMessage().contains("lots") && e.getMessage().contains("hilos.hybrid.carriers"));
        } finally {
            System.clearProperty(HybridRuntimeProvider.CARRIERS_PROPERTY);
        }
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> open(0));
        assertTrue(zero.getMessage().contains("carriers"));
        try (UltRuntime rt = (UltRuntime) Runtimes.open("hybrid")) {
            assertEquals(Runtime.getRuntime().availableProcessors(), rt.carriers());
        }
    }

    @Test
    void theDumpCoversEveryCarrier() throws Exception {
        try (UltRuntime rt = open(2)) {
            io.github.hilos.sync.CountDownLatch release = new io.github.hilos.sync.CountDownLatch(1);
            Strand a = rt.spawnOn(0, "waiting-on-0", () -> await(release));
            Strand b = rt.spawnOn(1, "waiting-on-1", () -> await(release));
            Tck.awaitCondition("both parked", () -> rt.dump().contains("waiting-on-0 [parked]")
                    && rt.dump().contains("waiting-on-1 [parked]"));
            String dump = rt.dump();
            assertTrue(dump.contains("carrier-0") && dump.contains("carrier-1"), dump);
            release.countDown();
            awaitEnd(a);
            awaitEnd(b);
        }
    }

    private static void await(io.github.hilos.sync.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
