/**
 * The kernel-thread runtimes of Hilos: {@code klt} (a platform thread per strand) and {@code jdk-virtual}
 * (a JDK virtual thread per strand). Opened through {@code io.github.hilos.api.Runtimes}; no package is exported.
 */
module io.github.hilos.klt {
    requires io.github.hilos.api;

    provides io.github.hilos.spi.RuntimeProvider with
            io.github.hilos.klt.KltRuntimeProvider,
            io.github.hilos.klt.JdkVirtualRuntimeProvider;
}
