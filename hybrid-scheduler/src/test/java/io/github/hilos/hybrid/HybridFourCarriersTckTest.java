package io.github.hilos.hybrid;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.RuntimeTck;

/**
 * The whole TCK on {@code hybrid} with four carriers, more than this machine's cores: stealing, idle carriers and
 * wake-ups between carriers happen in every test, not only in the scheduler's own.
 */
class HybridFourCarriersTckTest implements RuntimeTck {

    @Override
    public String runtimeName() {
        return "hybrid";
    }

    @Override
    public StrandRuntime openRuntime(RuntimeOptions options) {
        return Runtimes.open(runtimeName(), options.with("carriers", "4"));
    }
}
