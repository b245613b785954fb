package io.github.hilos.stress;

import io.github.hilos.api.Strand;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Park/unpark liveness: an unpark, early or late, always ends a park loop whose condition was made true. */
public final class ParkUnparkStress {

    private ParkUnparkStress() {
    }

    /** The signal may unpark before the actor parks (the permit must be kept) or after (it must wake). */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the unparked strand woke and saw the flag")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the strand stayed parked after its unpark: lost wake-up")
    @State
    public static class UnparkWakesParker {
        private volatile Strand parker;
        private volatile boolean go;

        /** Parks until told to go. */
        @Actor
        public void actor() {
            parker = Strand.current();
            while (!go) {
                Strand.park();
            }
        }

        /** Tells the parker to go. */
        @Signal
        public void signal() {
            Strand s = Published.await(() -> parker);
            go = true;
            s.unpark();
        }
    }

    /** Interrupt wakes a park too. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the interrupted strand woke")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the strand stayed parked after its interrupt")
    @State
    public static class InterruptWakesParker {
        private volatile Strand parker;

        /** Parks until interrupted. */
        @Actor
        public void actor() {
            Strand me = Strand.current();
            parker = me;
            while (!me.isInterrupted()) {
                Strand.park();
            }
            Strand.interrupted();
        }

        /** Interrupts the parker. */
        @Signal
        public void signal() {
            Strand s = Published.await(() -> parker);
            s.interrupt();
        }
    }
}
