package io.github.hilos.api;

/**
 * Strand code that may throw: the body of {@link StrandRuntime#spawnThrowing}, so that a strand that sleeps,
 * sends or waits needs no {@code try/catch InterruptedException} of its own. What it throws goes to the runtime's
 * {@link StrandExceptionHandler}, except an {@link InterruptedException}, which just ends the strand (it was
 * asked to stop).
 */
@FunctionalInterface
public interface StrandBody {

    /**
     * Runs in the strand.
     *
     * @throws Exception anything; see the interface's description for where it goes
     */
    void run() throws Exception;
}
