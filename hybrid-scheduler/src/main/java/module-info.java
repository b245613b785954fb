/**
 * Runtime {@code hybrid} of Hilos: M:N user-level threads on N carriers. Opened through
 * {@code io.github.hilos.api.Runtimes}; its runtimes are {@code io.github.hilos.ult.UltRuntime}s. Needs the same
 * JVM flag as {@code ult}: {@code --add-exports java.base/jdk.internal.vm=io.github.hilos.ult}.
 */
module io.github.hilos.hybrid {
    requires io.github.hilos.ult;

    provides io.github.hilos.spi.RuntimeProvider with io.github.hilos.hybrid.HybridRuntimeProvider;
}
