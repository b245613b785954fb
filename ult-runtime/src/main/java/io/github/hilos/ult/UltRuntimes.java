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
                1, false);
    }

    /**
     * Opens a runtime of several carriers (M:N), as runtime {@code hybrid} does: each carrier runs the
     * {@code ult} loop with its own policy, timers and poller; unstarted strands are balanced by work stealing.
     *
     * @param name the runtime's name
     * @param options exception handler and settings; {@code carriers} overrides {@code defaultCarriers}
     * @param defaultCarriers carriers when the setting is absent; positive
     * @return the runtime
     */
    public static UltRuntime openCarriers(String name, RuntimeOptions options, int defaultCarriers) {
        if (defaultCarriers <= 0) {
            throw new IllegalArgumentException("carrier count must be positive: " + defaultCarriers);
        }
        return new UltRuntimeImpl(Objects.requireNonNull(name, "name"), Objects.requireNonNull(options, "options"),
                null, defaultCarriers, true);
    }
}
