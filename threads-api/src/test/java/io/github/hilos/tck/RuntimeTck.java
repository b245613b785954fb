package io.github.hilos.tck;

/**
 * The whole contract test kit. A runtime module runs it with one class that names the runtime:
 * <pre>{@code
 * class UltTckTest implements RuntimeTck {
 *     public String runtimeName() { return "ult"; }
 * }
 * }</pre>
 * The module needs this test-jar, JUnit Jupiter, and {@code klt-adapter} (for {@link CrossRuntimeTck}) on its
 * test class path.
 */
public interface RuntimeTck extends StrandTck, ParkTck, SyncTck, ChannelTck, SelectTck, CrossRuntimeTck, NetTck,
        SelectorTck, AwaitTck, FilesTck, DailyUseTck {
}
