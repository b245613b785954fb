package io.github.hilos.ult.seam;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.ult.UltRuntime;
import io.github.hilos.ult.internal.UltRuntimeImpl;

import java.util.Objects;

/** Opens runtimes of several carriers whose placement comes from outside {@code ult-runtime}. */
public final class MultiCarrierRuntimes {

    private MultiCarrierRuntimes() {
    }

    /**
     * Opens an M:N runtime: {@code carriers} carriers (the setting, else {@code defaultCarriers}) running the
     * {@code ult} loop, with the placement {@code factory} makes.
     *
     * @param name the runtime's name
     * @param options exception handler and settings
     * @param defaultCarriers carriers when the setting is absent; positive
     * @param factory the placement
     * @return the runtime
     */
    public static UltRuntime open(String name, RuntimeOptions options, int defaultCarriers, PlacementFactory factory) {
        if (defaultCarriers <= 0) {
            throw new IllegalArgumentException("carrier count must be positive: " + defaultCarriers);
        }
        return new UltRuntimeImpl(Objects.requireNonNull(name, "name"), Objects.requireNonNull(options, "options"),
                null, defaultCarriers, Objects.requireNonNull(factory, "factory"));
    }
}
