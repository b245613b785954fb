/**
 * For writing a runtime: {@link io.github.hilos.spi.RuntimeProvider} (found through {@code ServiceLoader}),
 * {@link io.github.hilos.spi.AbstractStrandRuntime} (life cycle, live-strand accounting, exception routing),
 * {@link io.github.hilos.spi.StrandCarrier} (what a carrier thread tells the API), the networking and selector
 * providers, and helpers ({@link io.github.hilos.spi.StrandCompletion}, {@link io.github.hilos.spi.Durations}).
 * See docs/writing-a-runtime.md.
 */
package io.github.hilos.spi;
