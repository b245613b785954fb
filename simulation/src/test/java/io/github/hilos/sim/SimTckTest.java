package io.github.hilos.sim;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.AwaitTck;
import io.github.hilos.tck.ChannelTck;
import io.github.hilos.tck.CrossRuntimeTck;
import io.github.hilos.tck.DailyUseTck;
import io.github.hilos.tck.FilesTck;
import io.github.hilos.tck.NetTck;
import io.github.hilos.tck.ParkTck;
import io.github.hilos.tck.SelectTck;
import io.github.hilos.tck.StrandTck;
import io.github.hilos.tck.SyncTck;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCK on {@code sim} opened as a runtime, with its clock following real time ({@code time=real}): the kit's
 * tests race other threads (a JUnit thread interrupts a sleeping strand, a {@code Future.get} times out) against
 * strands' timed waits, which virtual time would end at once. Virtual time is checked by the simulation's own
 * tests. {@code SelectorTck} is left out: its tests register JDK channels, and a simulated selector takes the
 * simulated network's channels only (it refuses others clearly; see docs/simulation.md).
 */
class SimTckTest implements StrandTck, ParkTck, SyncTck, ChannelTck, SelectTck, CrossRuntimeTck, NetTck, AwaitTck,
        FilesTck, DailyUseTck {

    @Override
    public String runtimeName() {
        return "sim";
    }

    @Override
    public StrandRuntime openRuntime(RuntimeOptions options) {
        return Runtimes.open(runtimeName(), options.with("time", "real"));
    }

    /**
     * With {@code time=real}, a deadline taken late in a strand's turn counts from the real time of the call, not
     * from when the turn began: a strand that computes for 30 ms and then sleeps 50 ms sleeps 50 ms (it slept 20
     * when the clock was read once per turn).
     */
    @Test
    void aSleepLateInATurnSleepsItsWholeDuration() throws Exception {
        try (StrandRuntime rt = open()) {
            long slept = rt.run(() -> {
                long busyUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
                while (System.nanoTime() - busyUntil < 0) {
                    Thread.onSpinWait();
                }
                long start = System.nanoTime();
                io.github.hilos.api.Strand.sleep(Duration.ofMillis(50));
                return System.nanoTime() - start;
            });
            assertTrue(slept >= TimeUnit.MILLISECONDS.toNanos(50), "slept only " + slept + " ns");
        }
    }
}
