/**
 * Deterministic simulation testing of strand code: {@link io.github.hilos.sim.Simulation#run} and
 * {@link io.github.hilos.sim.Simulation#explore} run ordinary Hilos code (strands, sync, channels, sleeps and
 * timeouts, sockets, jacketed calls, server-kit) under seeded schedules, with virtual time and a simulated network
 * with faults; a failure is a {@link io.github.hilos.sim.SimulationFailure} with the seed that replays it and the
 * schedule that led to it. {@link io.github.hilos.sim.SimulationTest} does it as a JUnit 5 test, and
 * {@link io.github.hilos.sim.SimRuntime} gives a test the network's faults, the virtual clock and the trace.
 */
package io.github.hilos.sim;
