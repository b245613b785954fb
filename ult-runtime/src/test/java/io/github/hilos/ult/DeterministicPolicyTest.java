package io.github.hilos.ult;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seeded policy replays interleavings and finds a planted race within a bounded number of seeds. */
class DeterministicPolicyTest {

    /** Runs the racy program under a seed; returns the final counter and the trace. */
    private record Outcome(int counter, List<String> trace) {
    }

    private static Outcome racyIncrements(long seed) throws Exception {
        int[] counter = {0};
        UltRuntime rt = UltRuntimes.open(RuntimeOptions.defaults(), SchedulingPolicies.deterministic(seed));
        try (rt) {
            // Started from inside a strand so that the whole run is driven by the carrier alone.
            rt.run(() -> {
                Tck.runAll(rt, 3, i -> {
                    for (int k = 0; k < 3; k++) {
                        int seen = counter[0]; // planted race: read, yield, write back
                        Strand.yield();
                        counter[0] = seen + 1;
                    }
                });
                return null;
            });
        }
        return new Outcome(counter[0], ((SchedulingPolicies.DeterministicPolicy) rt.policy()).trace());
    }

    @Test
    void theSameSeedReplaysTheSameInterleaving() throws Exception {
        Outcome first = racyIncrements(42);
        Outcome again = racyIncrements(42);
        assertEquals(first.trace(), again.trace());
        assertEquals(first.counter(), again.counter());
        assertTrue(first.trace().size() > 9, "the trace records every scheduling decision: " + first.trace());
        Outcome other = racyIncrements(43);
        assertNotEquals(first.trace(), other.trace(), "another seed explores another interleaving");
    }

    @Test
    void aPlantedRaceIsFoundWithinFiftySeedsAndReplays() throws Exception {
        long found = -1;
        for (long seed = 1; seed <= 50 && found < 0; seed++) {
            if (racyIncrements(seed).counter() != 9) {
                found = seed;
            }
        }
        assertTrue(found > 0, "no seed in 1..50 exposed the lost update");
        Outcome replay = racyIncrements(found);
        assertNotEquals(9, replay.counter(), "seed " + found + " must lose an update again when replayed");
    }

    @Test
    void priorityPolicyRunsHigherFirstAndAgesLowerOnes() throws Exception {
        StringBuilder order = new StringBuilder();
        UltRuntime rt = UltRuntimes.open(RuntimeOptions.defaults(), SchedulingPolicies.priority(2));
        try (rt) {
            rt.run(() -> {
                List<Strand> strands = List.of(
                        rt.spawn("low", 1, () -> order.append('L')),
                        rt.spawn("high", 9, () -> order.append('H')),
                        rt.spawn("mid", 5, () -> order.append('M')));
                for (Strand s : strands) {
                    s.join();
                }
                return null;
            });
        }
        assertEquals("HML", order.toString());
    }

    @Test
    void aPolicyCanBeChosenByName() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult", RuntimeOptions.defaults().with("policy", "lifo"))) {
            assertEquals("lifo", ((UltRuntime) rt).policy().describe());
            assertEquals(1, rt.run(() -> 1));
        }
    }
}
