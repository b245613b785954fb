package io.github.hilos.stress;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.ult.UltRuntime;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Runtime {@code hybrid}'s placement protocol (see hybrid-scheduler's {@code package-info.java}): placements from a
 * thread that is not a carrier racing carriers that go idle, and spare carriers that retire while placements
 * arrive. One runtime per configuration is shared by all states of a fork.
 */
public final class HybridPlacementStress {

    /** Two carriers, no spares: placement alone must wake them. */
    static final UltRuntime TWO = (UltRuntime) Runtimes.open("hybrid", RuntimeOptions.defaults()
            .with("carriers", "2").with("compensation.spares", "0"));
    /** One carrier and one spare that starts after 1 ms of a stuck carrier and retires after 1 ms idle. */
    static final UltRuntime SPARE = (UltRuntime) Runtimes.open("hybrid", RuntimeOptions.defaults()
            .with("carriers", "1").with("compensation.spares", "1").with("compensation.threshold.ms", "1")
            .with("compensation.keepalive.ms", "1").with("watchdog.threshold.ms", "0"));

    private HybridPlacementStress() {
    }

    /**
     * Two strands placed back to back from outside while both carriers go idle (each iteration starts right after
     * the last one's strands ended): both must run at once, each spinning without yielding until the other has
     * started. A wake-up spent twice on one carrier leaves the other asleep and the pair waiting for ever.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "both strands ran at once on the two carriers")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "a placement did not wake an idle carrier")
    @State
    public static class BurstWakesIdleCarriers {
        private final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

        private Runnable spinner() {
            return () -> {
                started.incrementAndGet();
                while (started.get() < 2) {
                    Thread.onSpinWait(); // CPU-bound: keeps its carrier
                }
            };
        }

        /** Places the two strands and waits for both. */
        @Actor
        public void actor() throws InterruptedException {
            Strand a = TWO.spawn("burst-a", spinner());
            Strand b = TWO.spawn("burst-b", spinner());
            a.join();
            b.join();
        }

        /** Nothing to signal: the actor ends by itself or not at all. */
        @Signal
        public void signal() {
        }
    }

    /**
     * A strand blocks the only base carrier for a few milliseconds (a spare starts, adopts, and retires 1 ms after it
     * is idle again), while a strand is placed from outside: it must run, whether it lands before, during or after
     * the spare's life.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the placed strand ran")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "a strand placed as a spare retired was lost")
    @State
    public static class SpareRetirementRacesPlacement {
        private volatile boolean ran;

        /** Places a strand and waits until it has run. */
        @Actor
        public void actor() throws InterruptedException {
            SPARE.spawn("placed", () -> ran = true).join();
        }

        /** Blocks the base carrier the way an un-jacketed call does, so that a spare comes and goes. */
        @Signal
        public void signal() {
            SPARE.spawn("blocker", () -> {
                long until = System.nanoTime() + 3_000_000;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            });
        }
    }
}
