package example;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/** Two threads increment at once: each sees a distinct value, and no increment is lost. */
@JCStressTest
@Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = Expect.ACCEPTABLE, desc = "the increments are serialized")
@Outcome(expect = Expect.FORBIDDEN, desc = "a lost or duplicated increment")
@State
public class CounterStress {

    private final Counter counter = new Counter();

    @Actor
    public void first(III_Result r) {
        r.r1 = counter.increment();
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = counter.increment();
    }

    @Arbiter
    public void end(III_Result r) {
        r.r3 = counter.get();
    }
}
