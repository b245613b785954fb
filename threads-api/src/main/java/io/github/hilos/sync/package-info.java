/**
 * Strand-aware synchronization: waiting parks only the strand (never a user-level carrier), on every runtime and
 * from plain threads. {@link io.github.hilos.sync.Mutex} (a {@code Lock}), {@link io.github.hilos.sync.Semaphore},
 * {@link io.github.hilos.sync.CountDownLatch}, {@link io.github.hilos.sync.Channel}s made by
 * {@link io.github.hilos.sync.Channels} (bounded, rendezvous, unbounded; iterable until closed and drained) and
 * {@link io.github.hilos.sync.Select} over several channels. Use these, not {@code synchronized}, around code that
 * waits.
 */
package io.github.hilos.sync;
