package io.github.hilos.stress;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

import java.util.concurrent.CountDownLatch;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A runtime's count of live strands against {@code close()}: the count is kept in stripes (one per thread id
 * modulo their number) and summed, with a Dekker pair between a spawn (add, then read {@code closing}) and a close
 * (set {@code closing}, then sum); see {@code AbstractStrandRuntime}. Runs on {@code jdk-virtual}, whose strands
 * end on their own threads, one runtime per state.
 */
public final class RuntimeCloseStress {

    private RuntimeCloseStress() {
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
    @State
    public static class SpawnRacesClose {
        final StrandRuntime rt = Runtimes.open("jdk-virtual");
        volatile int ran;

        /** Spawns a strand that marks that it ran. */
        @Actor
        public void spawn(II_Result r) {
            try {
                rt.spawn(() -> ran = 1);
                r.r1 = 1;
            } catch (IllegalStateException refused) {
                r.r1 = 0;
            }
        }

        /** Closes the runtime, then looks whether the strand ran. */
        @Actor
        public void close(II_Result r) {
            rt.close();
            r.r2 = ran;
        }
    }

    /**
     * The last two strands of a closing runtime end at once, each on its own thread (so in stripes that may differ),
     * as the close starts: at least one of them, or the close, must see every end and complete the close (a close
     * that never returns hangs the test).
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "close returned after both strands ended")
    @Outcome(id = {"0", "1"}, expect = FORBIDDEN, desc = "close returned before a strand ended")
    @State
    public static class LastEndsRaceClose {
        final StrandRuntime rt = Runtimes.open("jdk-virtual");
        final CountDownLatch goA = new CountDownLatch(1);
        final CountDownLatch goB = new CountDownLatch(1);
        volatile int endedA;
        volatile int endedB;
        volatile int seen;

        {
            rt.spawn(() -> {
                await(goA);
                endedA = 1;
            });
            rt.spawn(() -> {
                await(goB);
                endedB = 1;
            });
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Lets both strands end, one right after the other. */
        @Actor
        public void release() {
            goA.countDown();
            goB.countDown();
        }

        /** Closes the runtime, then counts the strands that ended. */
        @Actor
        public void close() {
            rt.close();
            seen = endedA + endedB;
        }

        /** What close() saw when it returned. */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = seen;
        }
    }
}
