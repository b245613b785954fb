package io.github.hilos.hybrid.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The work-stealing deque of the M:N runtime: the owner's pops race thieves' steals, and every element is taken
 * exactly once (0 stands for "got nothing"). In this package because the deque is package-private.
 */
public final class StealQueueStress {

    private StealQueueStress() {
    }

    /** Two elements; the owner pops twice while a thief steals once. */
    @JCStressTest
    @Outcome(id = {"2, 1, 0", "2, 0, 1"}, expect = ACCEPTABLE, desc = "each element taken exactly once")
    @Outcome(expect = FORBIDDEN, desc = "an element was taken twice or lost")
    @State
    public static class OwnerPopsThiefSteals {
        private final StealQueue.Ends<Integer> queue = StealQueue.create(4);

        /** Fills the queue on the owner's behalf before the actors start. */
        public OwnerPopsThiefSteals() {
            queue.local().push(1);
            queue.local().push(2);
        }

        /**
         * The owner.
         *
         * @param r the result
         */
        @Actor
        public void owner(III_Result r) {
            Integer a = queue.local().pop();
            Integer b = queue.local().pop();
            r.r1 = a == null ? 0 : a;
            r.r2 = b == null ? 0 : b;
        }

        /**
         * A thief.
         *
         * @param r the result
         */
        @Actor
        public void thief(III_Result r) {
            Integer c = queue.stealer().steal();
            r.r3 = c == null ? 0 : c;
        }
    }

    /** One element, two thieves: at most one gets it, and then the queue is empty. */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one thief took it")
    @Outcome(expect = FORBIDDEN, desc = "the element was taken twice, or lost by both")
    @State
    public static class TwoThieves {
        private final StealQueue.Ends<Integer> queue = StealQueue.create(4);

        /** Pushes the one element. */
        public TwoThieves() {
            queue.local().push(1);
        }

        /**
         * First thief.
         *
         * @param r the result
         */
        @Actor
        public void thief1(II_Result r) {
            Integer v = queue.stealer().steal();
            r.r1 = v == null ? 0 : v;
        }

        /**
         * Second thief.
         *
         * @param r the result
         */
        @Actor
        public void thief2(II_Result r) {
            Integer v = queue.stealer().steal();
            r.r2 = v == null ? 0 : v;
        }
    }

    /**
     * The smallest queue, full, wrapping around: the owner pushes (which succeeds only if a thief has freed a slot,
     * and then reuses the slot the thief read) and pops, while a thief steals. The thief never gets the element that
     * overwrote its slot.
     */
    @JCStressTest
    @Outcome(id = {"1, 3, 1", "0, 2, 1"}, expect = ACCEPTABLE, desc = "push into the freed slot, or refused when full")
    @Outcome(expect = FORBIDDEN, desc = "an element taken twice, lost, or read from a reused slot")
    @State
    public static class FullQueueWrapsAround {
        private final StealQueue.Ends<Integer> queue = StealQueue.create(2);

        /** Fills both slots. */
        public FullQueueWrapsAround() {
            queue.local().push(1);
            queue.local().push(2);
        }

        /**
         * The owner: push 3, then pop.
         *
         * @param r the result
         */
        @Actor
        public void owner(III_Result r) {
            r.r1 = queue.local().push(3) ? 1 : 0;
            Integer v = queue.local().pop();
            r.r2 = v == null ? 0 : v;
        }

        /**
         * A thief.
         *
         * @param r the result
         */
        @Actor
        public void thief(III_Result r) {
            Integer v = queue.stealer().steal();
            r.r3 = v == null ? 0 : v;
        }
    }

    /**
     * The owner's overflow (it drains half of its queue with its own stealing end) races a thief on the smallest
     * queue: every element is taken exactly once, by the drain, the thief, or the owner's pops afterwards.
     */
    @JCStressTest
    @Outcome(id = {"1, 2, 0", "2, 1, 0", "1, 0, 2", "0, 1, 2"}, expect = ACCEPTABLE,
            desc = "each element taken exactly once")
    @Outcome(expect = FORBIDDEN, desc = "an element taken twice or lost")
    @State
    public static class OverflowDrainRacesThief {
        private final StealQueue.Ends<Integer> queue = StealQueue.create(2);

        /** Fills both slots. */
        public OverflowDrainRacesThief() {
            queue.local().push(1);
            queue.local().push(2);
        }

        /**
         * The owner drains half (one element) into a sink.
         *
         * @param r the result
         */
        @Actor
        public void owner(III_Result r) {
            int[] drained = {0};
            queue.local().drainHalf(v -> drained[0] += v);
            r.r1 = drained[0];
        }

        /**
         * A thief.
         *
         * @param r the result
         */
        @Actor
        public void thief(III_Result r) {
            Integer v = queue.stealer().steal();
            r.r2 = v == null ? 0 : v;
        }

        /**
         * What is left, popped by the owner once both are done.
         *
         * @param r the result
         */
        @Arbiter
        public void rest(III_Result r) {
            int sum = 0;
            for (Integer v; (v = queue.local().pop()) != null; ) {
                sum += v;
            }
            r.r3 = sum;
        }
    }
}
