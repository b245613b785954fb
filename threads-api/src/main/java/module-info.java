/**
 * The Hilos strand API: {@link io.github.hilos.api.Strand} and {@link io.github.hilos.api.StrandRuntime},
 * strand-aware synchronization ({@code io.github.hilos.sync}), strand sockets ({@code io.github.hilos.net}),
 * and the SPI through which runtimes plug in ({@code io.github.hilos.spi}).
 */
module io.github.hilos.api {
    exports io.github.hilos.api;
    exports io.github.hilos.sync;
    exports io.github.hilos.net;
    exports io.github.hilos.spi;

    uses io.github.hilos.spi.RuntimeProvider;
}
