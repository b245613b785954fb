package io.github.hilos.klt;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.spi.RuntimeProvider;

/** Runtime {@code klt}: one platform (kernel) thread per strand. */
public final class KltRuntimeProvider implements RuntimeProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public KltRuntimeProvider() {
    }

    @Override
    public String name() {
        return "klt";
    }

    @Override
    public StrandRuntime open(RuntimeOptions options) {
        return new JdkThreadRuntime(name(), options, Thread::ofPlatform);
    }
}
