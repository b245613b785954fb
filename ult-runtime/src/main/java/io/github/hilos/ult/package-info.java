/**
 * Runtime {@code ult}: user-level strands on JDK continuations, scheduled by Hilos on one carrier thread, with
 * pluggable {@link io.github.hilos.ult.SchedulingPolicy policies}, timers, a poller, jacketing of blocking calls, a
 * watchdog ({@link io.github.hilos.ult.StallReport}) and an MXBean. {@link io.github.hilos.ult.UltRuntime} is the
 * runtime's own API beyond {@code StrandRuntime}. Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
 */
package io.github.hilos.ult;
