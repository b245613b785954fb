package io.github.hilos.sim;

import io.github.hilos.api.StrandRuntime;

/**
 * The code a simulation runs: the first strand of a fresh {@code sim} runtime, which it gets to spawn more.
 *
 * @param <T> what it returns
 */
@FunctionalInterface
public interface SimulationBody<T> {

    /**
     * Runs the simulated code.
     *
     * @param runtime the {@code sim} runtime it runs on ({@link SimRuntime#of} gives its network and clock)
     * @return a result, returned by {@link Simulation#run}
     * @throws Exception anything; it fails the simulation
     */
    T run(StrandRuntime runtime) throws Exception;
}
