package io.github.hilos.ult.internal;

import io.github.hilos.ult.SchedulingPolicy;
import io.github.hilos.ult.seam.Placement;

/**
 * How one carrier is made: what used to be eight positional constructor arguments.
 *
 * @param runtime the runtime it belongs to
 * @param index its slot: 0..N-1 for base carriers, N and up for spares
 * @param threadName its thread's name
 * @param policy its scheduling policy (a fresh instance: policies are carrier-confined)
 * @param idleSpinNanos how long it spins, idle, before it yields
 * @param idleYields how many times it yields, idle, before it blocks in its poller
 * @param placement where its unstarted strands come from, and whether it retires when idle (a spare)
 */
record CarrierConfig(UltRuntimeImpl runtime, int index, String threadName, SchedulingPolicy policy, long idleSpinNanos,
                     int idleYields, Placement placement) {
}
