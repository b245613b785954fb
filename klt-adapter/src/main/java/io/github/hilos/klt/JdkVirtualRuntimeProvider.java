package io.github.hilos.klt;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.spi.RuntimeProvider;

/** Runtime {@code jdk-virtual}: one JDK virtual thread per strand, on the JDK's own scheduler. */
public final class JdkVirtualRuntimeProvider implements RuntimeProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public JdkVirtualRuntimeProvider() {
    }

    @Override
    public String name() {
        return "jdk-virtual";
    }

    @Override
    public StrandRuntime open(RuntimeOptions options) {
        return new JdkThreadRuntime(name(), options, Thread::ofVirtual);
    }
}
