package io.github.hilos.api;

import io.github.hilos.spi.RuntimeProvider;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Opens runtimes by name. The runtimes on the class or module path are found through {@link ServiceLoader}:
 * {@code klt} and {@code jdk-virtual} (module {@code klt-adapter}), {@code ult} ({@code ult-runtime}) and
 * {@code hybrid} ({@code hybrid-scheduler}).
 */
public final class Runtimes {

    private Runtimes() {
    }

    /**
     * Opens a runtime with the default options.
     *
     * @param name the runtime's name
     * @return a new, open runtime; close it when done
     * @throws IllegalArgumentException if no runtime has that name; the message lists the known names
     */
    public static StrandRuntime open(String name) {
        return open(name, RuntimeOptions.defaults());
    }

    /**
     * Opens a runtime.
     *
     * @param name the runtime's name
     * @param options the exception handler and runtime-specific settings
     * @return a new, open runtime; close it when done
     * @throws IllegalArgumentException if no runtime has that name, or a setting is unknown to it or has a bad
     *     value; the message names the bad value and what is known
     */
    public static StrandRuntime open(String name, RuntimeOptions options) {
        Objects.requireNonNull(name, "runtime name");
        Objects.requireNonNull(options, "options");
        Map<String, RuntimeProvider> providers = providers();
        RuntimeProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown runtime '" + name + "'; " + (providers.isEmpty()
                    ? "no runtime is on the class or module path (add io.github.hilos:klt-adapter for klt and jdk-virtual)"
                    : "known runtimes: " + String.join(", ", providers.keySet())));
        }
        Set<String> known = provider.settings();
        for (String setting : options.settings().keySet()) {
            if (!known.contains(setting)) {
                throw new IllegalArgumentException("runtime '" + name + "' has no setting '" + setting
                        + "'; its settings: " + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
            }
        }
        return provider.open(options);
    }

    /**
     * Lists the runtimes that can be opened.
     *
     * @return their names, sorted
     */
    public static List<String> names() {
        return List.copyOf(providers().keySet());
    }

    private static Map<String, RuntimeProvider> providers() {
        Map<String, RuntimeProvider> byName = new TreeMap<>();
        for (RuntimeProvider provider : ServiceLoader.load(RuntimeProvider.class, Runtimes.class.getClassLoader())) {
            byName.putIfAbsent(provider.name(), provider);
        }
        if (Thread.currentThread().getContextClassLoader() != null) {
            for (RuntimeProvider provider : ServiceLoader.load(RuntimeProvider.class)) {
                byName.putIfAbsent(provider.name(), provider);
            }
        }
        return byName;
    }
}
