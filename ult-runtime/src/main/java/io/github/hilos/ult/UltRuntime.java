package io.github.hilos.ult;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;

import java.util.List;

/**
 * Runtime {@code ult}: user-level threads (N:1). Strands are continuations that one carrier kernel thread runs,
 * switching only when a strand parks, sleeps, yields, waits on a {@code sync} primitive, a socket or a jacketed
 * call, or ends. Obtained from {@code Runtimes.open("ult")} (and cast), or {@link UltRuntimes#open}.
 *
 * <p>Inside a strand, {@code Thread.currentThread()} is the carrier and {@code ThreadLocal}s are the carrier's,
 * shared by every strand on it: use {@link io.github.hilos.api.StrandLocal}. A strand never changes carrier.
 * Blocking JDK calls ({@code Thread.sleep}, {@code synchronized} contention, JDK locks, plain socket or file
 * I/O) block the carrier and every strand on it: use {@link Strand#sleep}, {@code io.github.hilos.sync},
 * {@code io.github.hilos.net} and {@link io.github.hilos.api.Jacket#call}. The watchdog reports a carrier stalled
 * that way.
 */
public interface UltRuntime extends StrandRuntime {

    /**
     * Starts a strand with a priority (used by {@link SchedulingPolicies#priority(int)}; other policies ignore it).
     *
     * @param name the strand's name
     * @param priority higher runs first; the default is {@link SchedulingPolicies#DEFAULT_PRIORITY}
     * @param task what the strand does
     * @return the started strand
     */
    Strand spawn(String name, int priority, Runnable task);

    /**
     * Starts a strand bound to a given carrier from the start (affinity): it is never stolen, so strands that
     * talk to each other a lot can share a carrier. On a one-carrier runtime the index must be 0.
     *
     * @param carrier the carrier's index, from 0 to {@link #carriers()} - 1
     * @param name the strand's name
     * @param task what the strand does
     * @return the started strand
     * @throws IllegalArgumentException if the index is out of range
     */
    Strand spawnOn(int carrier, String name, Runnable task);

    /**
     * Returns how many carrier threads run this runtime's strands: 1 for {@code ult}, N for {@code hybrid}.
     *
     * @return the carrier count
     */
    int carriers();

    /**
     * Returns the carrier a strand runs on; it never changes once the strand has started.
     *
     * @param strand a strand of this runtime
     * @return its carrier's index, or -1 if it has not started yet (or is not of this runtime)
     */
    int carrierOf(Strand strand);

    /**
     * Describes every live strand: id, name, state, and stack (the carrier's own stack for the mounted one).
     * Taken by the carrier between two strands when it answers within a second; otherwise (a carrier stalled by
     * a blocking call) read without it and marked as such.
     *
     * @return the dump, one strand per paragraph
     */
    String dump();

    /**
     * Returns the carrier's scheduling policy. It is confined to the carrier: read it only from the runtime's
     * strands or after the runtime closed (for example a {@link SchedulingPolicies.DeterministicPolicy}'s trace).
     *
     * @return the policy
     */
    SchedulingPolicy policy();

    /**
     * Returns the stalls the watchdog reported, most recent last (at most 100).
     *
     * @return the reports
     */
    List<StallReport> stalls();

    /**
     * Returns the runtime's counters, also registered as a platform MXBean
     * ({@code io.github.hilos:type=UltRuntime,name=...}).
     *
     * @return the live counters
     */
    UltRuntimeMXBean metrics();
}
