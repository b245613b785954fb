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
}
