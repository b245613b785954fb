package io.github.hilos.hybrid;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.spi.RuntimeProvider;
import io.github.hilos.hybrid.internal.WorkStealing;
import io.github.hilos.ult.UltRuntimes;
import io.github.hilos.ult.seam.MultiCarrierRuntimes;

import java.util.Set;

/**
 * Runtime {@code hybrid}: the chapter's combined approach, M user-level strands on N carrier kernel threads
 * (its light-weight processes). Each carrier runs the {@code ult} loop; an idle carrier steals strands that have
 * not started yet, and a strand that has started stays on its carrier for life. The opened runtime is an
 * {@link io.github.hilos.ult.UltRuntime} (affinity, dump, metrics).
 *
 * <p>Carriers: the setting {@code carriers}, else the system property {@value #CARRIERS_PROPERTY}, else the
 * number of available processors.
 */
public final class HybridRuntimeProvider implements RuntimeProvider {

    /** System property giving the default number of carriers. */
    public static final String CARRIERS_PROPERTY = "hilos.hybrid.carriers";

    /** Called by {@link java.util.ServiceLoader}. */
    public HybridRuntimeProvider() {
    }

    @Override
    public String name() {
        return "hybrid";
    }

    @Override
    public Set<String> settings() {
        return UltRuntimes.SETTINGS;
    }

    @Override
    public StrandRuntime open(RuntimeOptions options) {
        return MultiCarrierRuntimes.open(name(), options, defaultCarriers(), WorkStealing::new);
    }

    static int defaultCarriers() {
        String property = System.getProperty(CARRIERS_PROPERTY);
        if (property == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(property.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + CARRIERS_PROPERTY + " must be a positive integer: '"
                + property + "'");
    }
}
