package io.github.hilos.hybrid;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.tck.Tck;
import io.github.hilos.ult.UltRuntime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A burst spawned from outside spreads at once: k <= N CPU-bound strands spawned back to back from a thread that is
 * not a carrier run on k distinct carriers at the same time. Each strand computes without yielding until all k have
 * started, so two that landed on one carrier would wait for each other until the deadline. Spare carriers are off:
 * placement alone must do it.
 */
class BurstPlacementTest {

    @Test
    void aBurstFromOutsideRunsOnDistinctCarriersAtOnce() throws Exception {
        int carriers = 2;
        RuntimeOptions options = RuntimeOptions.defaults().with("carriers", Integer.toString(carriers))
                .with("compensation.spares", "0");
        try (UltRuntime rt = (UltRuntime) Runtimes.open("hybrid", options)) {
            for (int round = 0; round < 30; round++) {
                AtomicInteger started = new AtomicInteger();
                AtomicInteger metAll = new AtomicInteger();
                Set<Integer> used = ConcurrentHashMap.newKeySet();
                List<Strand> burst = new ArrayList<>();
                for (int i = 0; i < carriers; i++) {
                    burst.add(rt.spawn("cpu-" + i, () -> {
                        used.add(rt.carrierOf(Strand.current()));
                        started.incrementAndGet();
                        long deadline = System.nanoTime() + 3_000_000_000L;
                        while (started.get() < carriers && System.nanoTime() - deadline < 0) {
                            Thread.onSpinWait(); // CPU-bound: never yields its carrier
                        }
                        if (started.get() == carriers) {
                            metAll.incrementAndGet();
                        }
                    }));
                }
                for (Strand s : burst) {
                    Tck.awaitEnd(s);
                }
                assertEquals(carriers, metAll.get(), "round " + round + ": the burst did not run at once");
                assertEquals(carriers, used.size(), "round " + round + ": carriers used " + used);
                Strand.sleep(java.time.Duration.ofMillis(2)); // let the carriers go idle again
            }
        }
    }
}
