package io.github.hilos.stress;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
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
 * Runtime {@code ult}: a strand on the carrier parks while a jcstress thread unparks it, which goes through the
 * carrier's cross-thread wake queue and wakes an idle carrier. One runtime is shared by all states of a fork
 * (opening one per state would measure thread start-up, not the race).
 */
public final class UltStress {

    static final StrandRuntime ULT = Runtimes.open("ult");
    static final UltRuntime HYBRID = (UltRuntime) Runtimes.open("hybrid",
            RuntimeOptions.defaults().with("carriers", "2"));

    private UltStress() {
    }

    /** Runs {@code body} as a strand of the shared runtime and waits for it; failures become errors. */
    static void inStrand(Runnable body) {
        try {
            ULT.run(() -> {
                body.run();
                return null;
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unpark from another thread, before or after the strand parks, wakes it (permit and wake queue). */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the strand woke")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the unpark from another thread was lost")
    @State
    public static class CrossThreadUnpark {
        private volatile Strand parker;
        private volatile boolean go;

        /** A strand that parks until told to go. */
        @Actor
        public void actor() {
            inStrand(() -> {
                parker = Strand.current();
                while (!go) {
                    Strand.park();
                }
            });
        }

        /** Unparks it from this jcstress thread. */
        @Signal
        public void signal() {
            Strand s = Published.await(() -> parker);
            go = true;
            s.unpark();
        }
    }

    /**
     * A timed park whose timer expires while an unpark races in: exactly one of them must requeue the strand
     * (a double requeue would resume a running continuation and fail the strand).
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the strand ended after timer and unpark raced")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the strand never woke")
    @State
    public static class TimerExpiryRacesUnpark {
        private volatile Strand parker;
        private volatile boolean go;

        /** A strand that parks with a short timeout, repeatedly, until told to go. */
        @Actor
        public void actor() {
            inStrand(() -> {
                parker = Strand.current();
                while (!go) {
                    Strand.parkNanos(20_000);
                }
            });
        }

        /** Unparks it around the time its timer fires. */
        @Signal
        public void signal() {
            Strand s = Published.await(() -> parker);
            s.unpark();
            go = true;
            s.unpark();
        }
    }

    /**
     * Runtime {@code hybrid}: a strand on carrier 0 parks while a strand on carrier 1 unparks it; the wake-up
     * crosses carriers through carrier 0's wake queue and must wake it even as it goes idle.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the strand on carrier 0 woke")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the cross-carrier unpark was lost")
    @State
    public static class CrossCarrierUnpark {
        private volatile Strand parker;
        private volatile boolean go;

        /** A strand on carrier 0 that parks until told to go; this jcstress thread waits for it. */
        @Actor
        public void actor() throws InterruptedException {
            HYBRID.spawnOn(0, "parker", () -> {
                parker = Strand.current();
                while (!go) {
                    Strand.park();
                }
            }).join();
        }

        /** Unparks it from a strand on carrier 1. */
        @Signal
        public void signal() {
            HYBRID.spawnOn(1, "unparker", () -> {
                Strand s;
                while ((s = parker) == null) {
                    Strand.yield();
                }
                go = true;
                s.unpark();
            });
        }
    }
}
