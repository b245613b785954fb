package io.github.hilos.stress;

import io.github.hilos.sync.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** {@link Mutex}: mutual exclusion in both policies, and a waiter always gets the lock when it is released. */
public final class MutexStress {

    private MutexStress() {
    }

    /** A counter incremented under a mutex of either policy; the exclusion tests count on it. */
    static final class GuardedCounter {
        private final Mutex mutex;
        private int x;

        GuardedCounter(boolean fair) {
            this.mutex = new Mutex(fair);
        }

        void increment() {
            mutex.lock();
            try {
                x++;
            } finally {
                mutex.unlock();
            }
        }

        int value() {
            return x;
        }
    }

    /** Two increments under the lock; a lost one means both were inside at once. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened under exclusion")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "an increment was lost: two strands held the mutex at once")
    @State
    public static class NonFairExclusion {
        private final GuardedCounter counter = new GuardedCounter(false);

        /** First incrementer. */
        @Actor
        public void actor1() {
            counter.increment();
        }

        /** Second incrementer. */
        @Actor
        public void actor2() {
            counter.increment();
        }

        /**
         * Reads the total.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = counter.value();
        }
    }

    /** The same with the fair (hand-over) policy. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened under exclusion")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "an increment was lost: two strands held the mutex at once")
    @State
    public static class FairExclusion {
        private final GuardedCounter counter = new GuardedCounter(true);

        /** First incrementer. */
        @Actor
        public void actor1() {
            counter.increment();
        }

        /** Second incrementer. */
        @Actor
        public void actor2() {
            counter.increment();
        }

        /**
         * Reads the total.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = counter.value();
        }
    }

    /** A strand waiting for a held lock gets it once the holder (the signal) releases it. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter got the lock")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the waiter was not woken by the release")
    @State
    public static class ReleaseWakesWaiter {
        private final Mutex mutex = new Mutex();
        private volatile boolean held;

        /** Waits for the lock the signal holds. */
        @Actor
        public void actor() {
            while (!held) {
                Thread.onSpinWait();
            }
            mutex.lock();
            mutex.unlock();
        }

        /** Takes the lock, lets the actor queue up, releases. */
        @Signal
        public void signal() {
            mutex.lock();
            held = true;
            Thread.yield();
            mutex.unlock();
        }
    }
}
