package io.github.hilos.ult;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.spi.RuntimeProvider;
import io.github.hilos.ult.internal.UltRuntimeImpl;

import java.util.Set;

/** Runtime {@code ult}: user-level threads on one carrier. */
public final class UltRuntimeProvider implements RuntimeProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public UltRuntimeProvider() {
    }

    @Override
    public String name() {
        return "ult";
    }

    @Override
    public Set<String> settings() {
        return UltRuntimes.SETTINGS;
    }

    @Override
    public StrandRuntime open(RuntimeOptions options) {
        return new UltRuntimeImpl(name(), options, null, 1, null);
    }
}
