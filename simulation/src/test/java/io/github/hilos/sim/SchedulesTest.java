package io.github.hilos.sim;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Mutex;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules, replay, failures and virtual time of the simulation runtime. */
class SchedulesTest {

    /** Two strands increment a shared counter with a yield between the read and the write. */
    private static Integer lostUpdate(StrandRuntime runtime) throws Exception {
        int[] counter = {0};
        List<Strand> strands = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            strands.add(runtime.spawn("incrementer-" + i, () -> {
                int seen = counter[0];
                Strand.yield();
                counter[0] = seen + 1;
            }));
        }
        for (Strand s : strands) {
            s.join();
        }
        if (counter[0] != 2) {
            throw new AssertionError("lost update: counter is " + counter[0]);
        }
        return counter[0];
    }

    @Test
    void exploreFindsALostUpdateAcrossAYieldAndItsSeedReplaysIt() {
        SimulationFailure found = assertThrows(SimulationFailure.class,
                () -> Simulation.settings().explore(1000, SchedulesTest::lostUpdate));
        assertTrue(found.getMessage().contains("lost update"), found.getMessage());
        assertTrue(found.getMessage().contains("-Dhilos.sim.seed=" + found.seed()), found.getMessage());
        SimulationFailure replayed = assertThrows(SimulationFailure.class,
                () -> Simulation.run(found.seed(), SchedulesTest::lostUpdate));
        assertEquals(found.trace(), replayed.trace(), "the seed replays the same schedule");
    }

    @Test
    void aSeedWithoutTheRaceRunsClean() {
        // Some seed among the first few runs the two strands one after the other.
        int clean = 0;
        for (long seed = 0; seed < 20; seed++) {
            try {
                assertEquals(2, Simulation.run(seed, SchedulesTest::lostUpdate));
                clean++;
            } catch (SimulationFailure expected) {
                // the race, on this seed
            }
        }
        assertTrue(clean > 0 && clean < 20, "both outcomes appear among 20 seeds: clean " + clean);
    }

    @Test
    void anAbBaDeadlockIsReportedWithItsCycle() {
        SimulationFailure found = assertThrows(SimulationFailure.class, () -> Simulation.explore(1000, runtime -> {
            Mutex first = new Mutex();
            Mutex second = new Mutex();
            Strand a = runtime.spawn("a", () -> {
                first.lock();
                try {
                    Strand.yield();
                    second.lock();
                    second.unlock();
                } finally {
                    first.unlock();
                }
            });
            Strand b = runtime.spawn("b", () -> {
                second.lock();
                try {
                    Strand.yield();
                    first.lock();
                    first.unlock();
                } finally {
                    second.unlock();
                }
            });
            a.join();
            b.join();
            return null;
        }));
        String m = found.getMessage();
        assertTrue(m.matches("(?s).*deadlock: strand #\\d [ab] waits for Mutex#\\d held by #\\d [ab]; strand #\\d [ab]"
                + " waits for Mutex#\\d held by #\\d [ab].*"), m);
        assertTrue(m.contains("#1 main [parked on the end of #"), m);
    }

    @Test
    void aMissedNotificationNeedsSwitchPointsInsideTheLock() {
        SimulationBody<Void> body = runtime -> {
            Mutex lock = new Mutex();
            boolean[] ready = {false};
            Strand[] waiter = {null};
            Strand w = runtime.spawn("waiter", () -> {
                lock.lock();
                boolean seen = ready[0];
                lock.unlock(); // the bug: the check and the registration below are not atomic
                if (!seen) {
                    waiter[0] = Strand.current();
                    Strand.park(); // a notifier that ran in between never comes back
                }
            });
            Strand n = runtime.spawn("notifier", () -> {
                lock.lock();
                ready[0] = true;
                Strand registered = waiter[0];
                lock.unlock();
                if (registered != null) {
                    registered.unpark();
                }
            });
            w.join();
            n.join();
            return null;
        };
        // Without switch points the waiter never loses the carrier between its unlock and its park.
        Simulation.explore(300, body);
        SimulationFailure found = assertThrows(SimulationFailure.class,
                () -> Simulation.settings().switchPoints().explore(1000, body));
        assertTrue(found.getMessage().contains("deadlock"), found.getMessage());
        assertTrue(found.getMessage().contains("waiter [parked"), found.getMessage());
    }

    @Test
    void pctFindsTheLostUpdateToo() {
        SimulationFailure found = assertThrows(SimulationFailure.class,
                () -> Simulation.settings().pct(2, 10).explore(1000, SchedulesTest::lostUpdate));
        assertThrows(SimulationFailure.class,
                () -> Simulation.settings().pct(2, 10).run(found.seed(), SchedulesTest::lostUpdate));
    }

    @Test
    void anHourOfSleepPassesInVirtualTime() {
        Duration elapsed = Simulation.run(7, runtime -> {
            long before = Strand.nanoTime();
            Strand.sleep(Duration.ofHours(1));
            assertEquals(Duration.ofHours(1).toNanos(), Strand.nanoTime() - before);
            return SimRuntime.of(runtime).elapsed();
        });
        assertEquals(Duration.ofHours(1), elapsed);
    }

    @Test
    void timedWaitsTimeOutInVirtualTime() {
        Simulation.run(3, runtime -> {
            Mutex held = new Mutex();
            held.lock();
            Strand other = runtime.spawn("other", () -> {
                try {
                    assertTrue(!held.tryLock(Duration.ofMinutes(5)), "times out: the lock stays held");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            other.join();
            assertEquals(Duration.ofMinutes(5), SimRuntime.of(runtime).elapsed());
            held.unlock();
            return null;
        });
    }

    @Test
    void aJacketedCallRunsInlineWithItsVirtualDuration() {
        Simulation.settings().jacketDuration(Duration.ofMillis(30)).run(1, runtime -> {
            String threadName = Thread.currentThread().getName();
            assertEquals(threadName, Jacket.call(() -> Thread.currentThread().getName()), "inline");
            assertEquals(Duration.ofMillis(30), SimRuntime.of(runtime).elapsed());
            return null;
        });
    }

    @Test
    void jacketAsyncRunsInAStrandOfTheSimulation() {
        Simulation.settings().jacketDuration(Duration.ofSeconds(2)).run(9, runtime -> {
            java.util.concurrent.CompletableFuture<String> pending = Jacket.async(() -> Strand.current().name());
            assertEquals("jacket-async", Jacket.await(pending));
            assertEquals(Duration.ofSeconds(2), SimRuntime.of(runtime).elapsed());
            return null;
        });
    }

    @Test
    void anExceptionInAnyStrandFailsTheRunWithTheStrandNamed() {
        SimulationFailure f = assertThrows(SimulationFailure.class, () -> Simulation.run(5, runtime -> {
            runtime.spawn("thrower", () -> {
                throw new IllegalStateException("planted");
            }).join();
            return null;
        }));
        assertTrue(f.getMessage().contains("strand #2 thrower threw java.lang.IllegalStateException: planted"),
                f.getMessage());
        assertEquals(IllegalStateException.class, f.getCause().getClass());
        assertEquals(5, f.seed());
    }

    @Test
    void leaksFailOnlyWhenAsked() {
        SimulationBody<Void> leaky = runtime -> {
            runtime.spawn("forgotten", Strand::park);
            Strand.yield();
            return null;
        };
        Simulation.run(1, leaky);
        SimulationFailure f = assertThrows(SimulationFailure.class,
                () -> Simulation.settings().failOnLeaks().run(1, leaky));
        assertTrue(f.getMessage().contains("#2 forgotten ["), f.getMessage());
    }

    @Test
    void aParkUnderAMonitorIsReportedNotHung() {
        Object monitor = new Object();
        SimulationFailure f = assertThrows(SimulationFailure.class, () -> Simulation.settings()
                .with("check.monitors", "true").run(1, runtime -> {
            synchronized (monitor) {
                Strand.sleep(Duration.ofMillis(1));
            }
            return null;
        }));
        assertTrue(f.getMessage().contains("strand #1 main parks while holding the monitor of a java.lang.Object"),
                f.getMessage());
    }

    @Test
    void aHundredReplaysOfOneSeedGiveOneTrace() {
        SimulationBody<List<String>> body = runtime -> {
            io.github.hilos.sync.Channel<Integer> channel = io.github.hilos.sync.Channels.bounded(2);
            for (int p = 0; p < 3; p++) {
                int id = p;
                runtime.spawn("producer-" + p, () -> {
                    try {
                        for (int i = 0; i < 5; i++) {
                            channel.send(id * 10 + i);
                            Strand.sleep(Duration.ofMillis(Strand.random().nextInt(1, 5)));
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            long sum = 0;
            for (int i = 0; i < 15; i++) {
                sum += channel.receive();
            }
            assertEquals(3 * (0 + 1 + 2 + 3 + 4) + 5 * (0 + 10 + 20), sum);
            return SimRuntime.of(runtime).trace();
        };
        List<String> first = Simulation.run(42, body);
        for (int i = 0; i < 99; i++) {
            assertEquals(first, Simulation.run(42, body), "replay " + i);
        }
        assertNotEquals(first, Simulation.run(43, body), "another seed, another schedule");
    }

    @Test
    void theRuntimeOpensByNameAndServesOtherThreads() throws Exception {
        try (StrandRuntime rt = Runtimes.open("sim", RuntimeOptions.defaults().with("seed", "42"))) {
            assertEquals("sim", rt.name());
            AtomicLong virtual = new AtomicLong();
            int answer = rt.run(() -> {
                long t0 = Strand.nanoTime();
                Strand.sleep(Duration.ofDays(1));
                virtual.set(Strand.nanoTime() - t0);
                return 42;
            });
            assertEquals(42, answer);
            assertEquals(Duration.ofDays(1).toNanos(), virtual.get());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Runtimes.open("sim", RuntimeOptions.defaults().with("strategy", "fifo")));
        assertTrue(bad.getMessage().contains("random, pct"), bad.getMessage());
    }
}
