package io.github.hilos.spi;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.StrandRuntime;

import java.util.Set;

/**
 * How a runtime plugs into {@link io.github.hilos.api.Runtimes}: a {@link java.util.ServiceLoader} provider,
 * declared with {@code provides io.github.hilos.spi.RuntimeProvider with ...} in {@code module-info.java} and
 * in {@code META-INF/services/io.github.hilos.spi.RuntimeProvider} for the class path.
 */
public interface RuntimeProvider {

    /**
     * Returns the name users open this runtime by, such as {@code "klt"}.
     *
     * @return the runtime name
     */
    String name();

    /**
     * Returns the names of the settings this runtime understands in {@link RuntimeOptions#settings()}.
     *
     * @return the known setting names; {@link io.github.hilos.api.Runtimes} refuses any other
     */
    default Set<String> settings() {
        return Set.of();
    }

    /**
     * Opens a new runtime. Settings have been checked against {@link #settings()}; their values have not.
     *
     * @param options the options
     * @return a new, open runtime
     * @throws IllegalArgumentException if a setting has a bad value (name it and the value in the message)
     */
    StrandRuntime open(RuntimeOptions options);
}
