package io.github.hilos.tck;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;

/**
 * What a TCK test needs to know about the runtime it checks. A runtime module runs the whole kit with one class:
 * <pre>{@code
 * class KltTckTest implements RuntimeTck {
 *     public String runtimeName() { return "klt"; }
 * }
 * }</pre>
 */
public interface RuntimeUnderTest {

    /**
     * Returns the name the runtime is opened by.
     *
     * @return the runtime name
     */
    String runtimeName();

    /**
     * Opens a fresh runtime for one test; override {@link #openRuntime(RuntimeOptions)} to pass settings.
     * Its {@code close()} fails after {@link Tck#HANG} instead of waiting for stuck strands forever.
     *
     * @param options the options the test wants
     * @return the runtime
     */
    default StrandRuntime open(RuntimeOptions options) {
        return new HangSafeRuntime(openRuntime(options));
    }

    /**
     * Opens the runtime under test; override to add settings (a policy, a seed) to every test.
     *
     * @param options the options the test wants
     * @return the runtime
     */
    default StrandRuntime openRuntime(RuntimeOptions options) {
        return Runtimes.open(runtimeName(), options);
    }

    /**
     * Opens a fresh runtime with default options.
     *
     * @return the runtime
     */
    default StrandRuntime open() {
        return open(RuntimeOptions.defaults());
    }

    /**
     * Returns the name of another runtime, for tests of strands of two runtimes sharing a primitive.
     *
     * @return a runtime name other than {@link #runtimeName()}
     */
    default String peerRuntimeName() {
        return "klt".equals(runtimeName()) ? "jdk-virtual" : "klt";
    }
}
