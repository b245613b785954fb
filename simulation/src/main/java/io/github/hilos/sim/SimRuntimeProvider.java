package io.github.hilos.sim;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.spi.RuntimeProvider;
import io.github.hilos.ult.internal.cont.ContinuationAccess;

import java.util.Set;

/** Provides runtime {@code sim} to {@code io.github.hilos.api.Runtimes}. */
public final class SimRuntimeProvider implements RuntimeProvider {

    /** Made by the service loader. */
    public SimRuntimeProvider() {
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Set<String> settings() {
        return SimSettings.NAMES;
    }

    @Override
    public StrandRuntime open(RuntimeOptions options) {
        requireContinuations();
        return new SimRuntime(options, true);
    }

    static void requireContinuations() {
        if (!ContinuationAccess.isAvailable()) {
            throw new IllegalStateException("runtime 'sim' runs strands on JDK continuations; start the JVM with "
                    + ContinuationAccess.requiredFlag());
        }
    }
}
