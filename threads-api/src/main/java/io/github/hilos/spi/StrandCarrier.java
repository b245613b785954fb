package io.github.hilos.spi;

import io.github.hilos.api.Strand;

import java.util.concurrent.Callable;

/**
 * Implemented by the carrier threads of runtimes that run many strands on one thread (user-level runtimes).
 * {@link Strand#current()}, {@link io.github.hilos.api.Jacket#call} and the {@code net} sockets ask the
 * current thread for these; any other thread gets the kernel-thread behaviour: a strand view of the thread,
 * blocking calls made inline, blocking sockets.
 */
public interface StrandCarrier {

    /**
     * Returns the strand mounted on this carrier. Called only on the carrier itself.
     *
     * @return the mounted strand, or {@code null} when the carrier is running its own scheduling code
     */
    Strand currentStrand();

    /**
     * Runs a blocking call for the mounted strand without blocking the carrier's other strands.
     *
     * @param task the blocking call
     * @param <T> its result type
     * @return its result
     * @throws Exception whatever the call throws, or {@link InterruptedException} if the strand is interrupted
     */
    default <T> T jacket(Callable<T> task) throws Exception {
        return task.call();
    }

    /**
     * Starts a blocking call in the background for the mounted strand ({@link io.github.hilos.api.Jacket#async}).
     * By default on a JDK virtual thread of its own; a simulated runtime runs it in a strand of its own.
     *
     * @param task the blocking call
     * @param <T> its result type
     * @return the pending result
     */
    default <T> java.util.concurrent.CompletableFuture<T> jacketAsync(Callable<T> task) {
        return io.github.hilos.api.Jacket.onVirtualThread(task);
    }

    /**
     * Returns the socket implementation for strands of this carrier.
     *
     * @return the provider
     */
    default NetProvider net() {
        return NetProvider.blocking();
    }

    /**
     * Returns the clock of this carrier's runtime, in nanoseconds, as {@link System#nanoTime()} does (only
     * differences are meaningful). Every runtime but a simulated one returns {@code System.nanoTime()}; a simulated
     * runtime returns its virtual time. Called only on the carrier itself; read through {@link Strand#nanoTime()}.
     *
     * @return the current time of the runtime's clock
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Returns the random generator for the mounted strand: {@link java.util.concurrent.ThreadLocalRandom} except on
     * a simulated runtime, where it is seeded. Read through {@link Strand#random()}.
     *
     * @return the generator
     */
    default java.util.random.RandomGenerator random() {
        return java.util.concurrent.ThreadLocalRandom.current();
    }

    /**
     * Called by Hilos' synchronization primitives at points where a simulated runtime may switch to another
     * strand (after a lock is released, before a channel operation, ...), to reach more interleavings than parks
     * alone give; a no-op elsewhere. Reached only while {@link SwitchPoints#enabled()}.
     */
    default void switchPoint() {
    }
}
