package io.github.hilos.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to open a runtime: the handler of uncaught exceptions and runtime-specific settings ("carriers",
 * "policy", ...). Each runtime lists the settings it knows; an unknown one is refused when the runtime opens.
 *
 * @param exceptionHandler receives strands' uncaught exceptions
 * @param settings runtime-specific settings by name
 */
public record RuntimeOptions(StrandExceptionHandler exceptionHandler, Map<String, String> settings) {

    /**
     * Checks and copies the arguments.
     *
     * @param exceptionHandler receives strands' uncaught exceptions
     * @param settings runtime-specific settings by name
     */
    public RuntimeOptions {
        Objects.requireNonNull(exceptionHandler, "exceptionHandler");
        Objects.requireNonNull(settings, "settings");
        settings = Map.copyOf(settings);
    }

    /**
     * Returns the defaults: uncaught exceptions logged, no settings.
     *
     * @return the default options
     */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(StrandExceptionHandler.logging(), Map.of());
    }

    /**
     * Returns a copy with another exception handler.
     *
     * @param handler the handler
     * @return the new options
     */
    public RuntimeOptions withExceptionHandler(StrandExceptionHandler handler) {
        return new RuntimeOptions(handler, settings);
    }

    /**
     * Returns a copy with one setting added or replaced.
     *
     * @param name the setting's name
     * @param value its value
     * @return the new options
     */
    public RuntimeOptions with(String name, String value) {
        Objects.requireNonNull(name, "setting name");
        Objects.requireNonNull(value, "value of setting " + name);
        Map<String, String> copy = new TreeMap<>(settings);
        copy.put(name, value);
        return new RuntimeOptions(exceptionHandler, copy);
    }
}
