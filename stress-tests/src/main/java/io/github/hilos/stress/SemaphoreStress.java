package io.github.hilos.stress;

import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.sync.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** {@link Semaphore} and {@link CountDownLatch}: permits are never granted twice; releases always wake. */
public final class SemaphoreStress {

    private SemaphoreStress() {
    }

    /** One permit, two takers: exactly one gets it. */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one strand took the permit")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "one permit was granted twice")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "a free permit was refused to both")
    @State
    public static class OnePermitTwoTakers {
        private final Semaphore semaphore = new Semaphore(1);

        /**
         * First taker.
         *
         * @param r the result
         */
        @Actor
        public void actor1(ZZ_Result r) {
            r.r1 = semaphore.tryAcquire();
        }

        /**
         * Second taker.
         *
         * @param r the result
         */
        @Actor
        public void actor2(ZZ_Result r) {
            r.r2 = semaphore.tryAcquire();
        }
    }

    /** A release wakes a strand blocked in acquire, whether it comes before or after the acquire parks. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the acquirer got the released permit")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the acquirer missed the release: lost wake-up")
    @State
    public static class ReleaseWakesAcquirer {
        private final Semaphore semaphore = new Semaphore(0);

        /**
         * Blocks for a permit.
         *
         * @throws InterruptedException if jcstress interrupts a stuck actor
         */
        @Actor
        public void actor() throws InterruptedException {
            semaphore.acquire();
        }

        /** Releases one. */
        @Signal
        public void signal() {
            semaphore.release();
        }
    }

    /**
     * A release that hands its permit to a waiter directly races the waiter giving up (a short timeout): the
     * permit ends either with the waiter or back in the semaphore, never lost and never both.
     */
    @JCStressTest
    @Outcome(id = {"true, 0", "false, 1"}, expect = ACCEPTABLE, desc = "the permit went to the waiter, or stayed")
    @Outcome(id = "false, 0", expect = FORBIDDEN, desc = "the permit was lost in a hand-off to a waiter that gave up")
    @Outcome(id = "true, 1", expect = FORBIDDEN, desc = "the permit was counted twice")
    @State
    public static class HandOffRacesTimeout {
        private final Semaphore semaphore = new Semaphore(0);
        private boolean acquired;

        /** Waits a moment for a permit. */
        @Actor
        public void waiter() {
            try {
                acquired = semaphore.tryAcquire(java.time.Duration.ofNanos(20_000));
            } catch (InterruptedException e) {
                throw new AssertionError("nothing interrupts the waiter", e);
            }
        }

        /** Releases one. */
        @Actor
        public void releaser() {
            semaphore.release();
        }

        /**
         * What the waiter got, and what is left.
         *
         * @param r the result
         */
        @org.openjdk.jcstress.annotations.Arbiter
        public void arbiter(org.openjdk.jcstress.infra.results.ZI_Result r) {
            r.r1 = acquired;
            r.r2 = semaphore.availablePermits();
        }
    }

    /** The count-down that opens a latch wakes its waiter. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter passed the opened latch")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the waiter missed the count-down: lost wake-up")
    @State
    public static class CountDownWakesAwaiter {
        private final CountDownLatch latch = new CountDownLatch(1);

        /**
         * Waits for the latch.
         *
         * @throws InterruptedException if jcstress interrupts a stuck actor
         */
        @Actor
        public void actor() throws InterruptedException {
            latch.await();
        }

        /** Opens it. */
        @Signal
        public void signal() {
            latch.countDown();
        }
    }
}
