/**
 * JDK continuations behind a plain type, for the simulation runtime: {@link
 * io.github.hilos.ult.internal.cont.Coroutine} runs a body that can suspend itself and be resumed by its owner,
 * so that module never names {@code jdk.internal.vm} (the JVM still needs the flag that exports it to this one).
 * Exported to {@code io.github.hilos.sim} only: not public API.
 */
package io.github.hilos.ult.internal.cont;
