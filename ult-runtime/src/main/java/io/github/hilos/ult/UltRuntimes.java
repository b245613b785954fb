package io.github.hilos.ult;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.ult.internal.UltRuntimeImpl;

import java.util.Objects;
import java.util.Set;

/** Opens {@code ult} runtimes with a policy object, for policies that are not built in. */
public final class UltRuntimes {

    /** The settings of runtimes {@code ult} and {@code hybrid} (see docs/ult-runtime.md). */
    public static final Set<String> SETTINGS = Set.of("carriers",
            "policy", "idle.spin.us", "idle.yields", "jacket.threads", "jacket.queue", "watchdog.threshold.ms",
            "compensation.spares", "compensation.threshold.ms", "compensation.keepalive.ms", "check.monitors");

    private UltRuntimes() {
    }

    /**
     * Opens a {@code ult} runtime with the given policy.
     *
     * @param options exception handler and settings (see docs/ult-runtime.md); its {@code policy} setting is ignored
     * @param policy the carrier's scheduling policy, a fresh instance
     * @return the runtime
     * @throws IllegalStateException if the JVM does not export {@code jdk.internal.vm} to Hilos (the message names
     *     the flag)
     */
    public static UltRuntime open(RuntimeOptions options, SchedulingPolicy policy) {
        return new UltRuntimeImpl("ult", Objects.requireNonNull(options, "options"), Objects.requireNonNull(policy, "policy"),
                1, null);
    }
}
