package io.github.hilos.stress;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;
import io.github.hilos.spi.AbstractStrandRuntime;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A runtime's count of live strands against {@code close()}: the count is kept in stripes (one per thread id
 * modulo their number) and summed, with a Dekker pair between a spawn (add, then read {@code closing}) and a close
 * (set {@code closing}, then sum); see {@code AbstractStrandRuntime}. The runtime under test is that accounting
 * alone ({@link Counting}): its strands run their bodies when an actor tells them to, on the actor's thread, so
 * that the race is between the accounting's own accesses and nothing else.
 */
public final class RuntimeCloseStress {

    private RuntimeCloseStress() {
    }

    /**
     * A runtime with no threads: {@code start} keeps the body, {@link #runAll()} runs each kept body on the calling
     * thread and then ends its strand, as a runtime does (the body, then {@code strandEnded()}).
     */
    static final class Counting extends AbstractStrandRuntime {
        /** The kept bodies, in spawn order: set by the state's constructor or an actor, run by an actor. */
        private final AtomicReferenceArray<Runnable> kept = new AtomicReferenceArray<>(2);
        /** How many were kept; the spawning thread only. */
        private int count;

        Counting() {
            super("counting", RuntimeOptions.defaults());
        }

        @Override
        protected Strand start(String strandName, Runnable body) {
            Runnable run = () -> {
                body.run();
                strandEnded();
            };
            kept.set(count++, run);
            return new Kept(strandName);
        }

        /** Runs the kept bodies in spawn order; one actor only. */
        void runAll() {
            run(0);
            run(1);
        }

        /** Runs the {@code i}th kept body, if there is one. */
        void run(int i) {
            Runnable r = kept.get(i);
            if (r != null) {
                r.run();
            }
        }

        @Override
        protected boolean isOwnStrand() {
            return false;
        }

        /** Whether the close's wait is over, without summing (as close() would). */
        boolean terminatedNow() {
            return isTerminated();
        }
    }

    /** The strand {@link Counting} hands out: a name; the test never parks, joins or interrupts it. */
    static final class Kept extends Strand {
        private final String name;

        Kept(String name) {
            this.name = name;
        }

        @Override
        public void unpark() {
        }

        @Override
        public void join() {
            throw new UnsupportedOperationException("not in this test");
        }

        @Override
        public boolean join(Duration timeout) {
            throw new UnsupportedOperationException("not in this test");
        }

        @Override
        public void interrupt() {
        }

        @Override
        public boolean isInterrupted() {
            return false;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        protected void parkSelf() {
        }

        @Override
        protected void parkSelfNanos(long nanos) {
        }

        @Override
        protected void yieldSelf() {
        }

        @Override
        protected boolean clearInterruptSelf() {
            return false;
        }
    }

    /**
     * A spawn racing a close: either the spawn is refused and its body never runs, or it is accepted and close()
     * returns only after the strand ended.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "spawn accepted; close waited for the strand")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "spawn refused by the closing runtime")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "close returned while an accepted strand had not ended")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a refused spawn ran its body")
    @Outcome(id = {"0, -1", "1, -1"}, expect = FORBIDDEN, desc = "close never saw the count reach zero")
    @State
    public static class SpawnRacesClose {
        final Counting rt = new Counting();
        volatile int ran;

        /** Spawns a strand that marks that it ran, then runs it. */
        @Actor
        public void spawn(II_Result r) {
            try {
                rt.spawn(() -> ran = 1);
                r.r1 = 1;
            } catch (IllegalStateException refused) {
                r.r1 = 0;
            }
            rt.runAll();
        }

        /** Closes the runtime, then looks whether the strand ran; -1 if close did not return in time. */
        @Actor
        public void close(II_Result r) {
            r.r2 = rt.close(Duration.ofSeconds(10)) ? ran : -1;
        }
    }

    /**
     * The last two strands of a closing runtime end at the same time on two threads (so on two stripes, while the
     * spawns counted on a third): whichever ends second must see the other's end, sum zero and complete the close.
     * Both reading the other's stripe stale would leave the close waiting for ever. (An end racing the close itself
     * is {@link SpawnRacesClose}: its spawner runs the strand it spawned.)
     */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the close completed once both strands ended")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "both strands ended, and the close was not completed")
    @State
    public static class LastTwoEndsRace {
        final Counting rt = new Counting();

        {
            rt.spawn(() -> { });
            rt.spawn(() -> { });
            rt.close(Duration.ZERO); // closing from now on, with two strands live: returns false at once
        }

        /** Ends the first strand. */
        @Actor
        public void endFirst() {
            rt.run(0);
        }

        /** Ends the second strand. */
        @Actor
        public void endSecond() {
            rt.run(1);
        }

        /** Whether the close's wait is over now that both ended (read without summing again). */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = rt.terminatedNow() ? 1 : 0;
        }
    }
}
