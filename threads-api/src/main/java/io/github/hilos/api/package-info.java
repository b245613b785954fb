/**
 * The strand API, the same on every runtime: {@link io.github.hilos.api.Runtimes} opens a runtime by name
 * ({@code klt}, {@code jdk-virtual}, {@code ult}, {@code hybrid}); a {@link io.github.hilos.api.StrandRuntime} spawns
 * {@link io.github.hilos.api.Strand}s, runs tasks for a result ({@code submit}, {@code run}), scopes subtasks
 * ({@link io.github.hilos.api.StrandScope}) and offers an executor; {@link io.github.hilos.api.Jacket} wraps blocking
 * calls; {@link io.github.hilos.api.StrandLocal} is per-strand storage.
 */
package io.github.hilos.api;
