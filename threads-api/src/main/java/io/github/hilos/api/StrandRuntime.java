package io.github.hilos.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * The owner of strands and of the resources they share: the chapter's process, to a {@link Strand}'s thread.
 * Obtained from {@link Runtimes#open(String)}; every runtime ({@code klt}, {@code jdk-virtual}, {@code ult},
 * {@code hybrid}) implements the same contract, checked by one test kit.
 *
 * <p>A strand's uncaught exception goes to the runtime's {@link StrandExceptionHandler} (by default it is
 * logged through {@link System.Logger}) and never disturbs other strands or the threads that run them.
 */
public interface StrandRuntime extends AutoCloseable {

    /**
     * Returns the name this runtime was opened with.
     *
     * @return the runtime name, such as {@code "klt"}
     */
    String name();

    /**
     * Starts a strand that runs {@code task}.
     *
     * @param task what the strand does
     * @return the started strand
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the runtime is closing or closed
     */
    Strand spawn(Runnable task);

    /**
     * Starts a named strand that runs {@code task}.
     *
     * @param name the strand's name, for dumps and logs
     * @param task what the strand does
     * @return the started strand
     * @throws NullPointerException if {@code name} or {@code task} is null
     * @throws IllegalStateException if the runtime is closing or closed
     */
    Strand spawn(String name, Runnable task);

    /**
     * Runs {@code task} as a strand of this runtime and blocks the caller until it ends. Meant for the edge of a
     * program: a {@code main} method or a test calling into strand code.
     *
     * @param task what the strand does
     * @param <T> the result type
     * @return the task's result
     * @throws Exception the task's exception, rethrown as it was thrown, or {@link InterruptedException} if the
     *     caller is interrupted while waiting (the strand is then interrupted too)
     * @throws IllegalStateException if the runtime is closing or closed
     */
    <T> T run(Callable<T> task) throws Exception;

    /**
     * Starts a strand that runs {@code task} and returns its result as a {@link java.util.concurrent.Future}: {@link StrandFuture#join()}
     * returns the value or rethrows the task's exception as thrown; {@code get()} wraps it, as {@code Future} does.
     * A task's exception goes to the future, not to the runtime's exception handler.
     *
     * @param task what the strand computes
     * @param <T> the result type
     * @return the future
     * @throws IllegalStateException if the runtime is closing or closed
     */
    default <T> StrandFuture<T> submit(Callable<? extends T> task) {
        return submit(name() + "-task", task);
    }

    /**
     * Like {@link #submit(Callable)}, with a name for the strand.
     *
     * @param name the strand's name
     * @param task what the strand computes
     * @param <T> the result type
     * @return the future
     */
    default <T> StrandFuture<T> submit(String name, Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        StrandFuture<T> future = new StrandFuture<>();
        future.started(spawn(name, () -> future.run(task)));
        return future;
    }

    /**
     * Starts a strand whose body may throw, so that a strand that sleeps, sends or waits needs no
     * {@code try/catch} of its own: what it throws goes to the runtime's exception handler as thrown (a checked
     * exception too), but an {@link InterruptedException} just ends the strand, which was asked to stop.
     *
     * @param name the strand's name
     * @param body what the strand does
     * @return the started strand
     * @throws IllegalStateException if the runtime is closing or closed
     */
    default Strand spawnThrowing(String name, StrandBody body) {
        Objects.requireNonNull(body, "body");
        return spawn(name, () -> {
            try {
                body.run();
            } catch (InterruptedException stop) {
                Strand.current().interrupt(); // kept, for whoever looks; the strand ends quietly
            } catch (Exception e) {
                StrandRuntime.<RuntimeException>rethrow(e);
            }
        });
    }

    /** Throws a checked exception unchanged, without declaring it: the handler gets what the body threw. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void rethrow(Throwable e) throws E {
        throw (E) e;
    }

    /**
     * Returns an {@link ExecutorService} that runs each task as a strand of this runtime, for
     * {@code CompletableFuture} and third-party code that takes an executor. Each call returns a new executor;
     * shutting it down does not close the runtime.
     *
     * @return the executor
     */
    default ExecutorService executor() {
        return new StrandExecutor(this);
    }

    /**
     * Refuses new spawns from now on and waits until every strand this runtime spawned has ended, then
     * releases the runtime's threads. Idempotent. If the waiting thread is interrupted, the wait ends early,
     * the interrupt status is kept, and the strands go on.
     *
     * @throws IllegalStateException if called from a strand of this runtime, which would wait for itself
     */
    @Override
    void close();

    /**
     * Like {@link #close()}, but waits at most {@code timeout}. If strands are still alive then, the runtime stays
     * closed to new spawns and its strands go on; a later {@code close} waits for them again.
     *
     * @param timeout the longest wait; must not be negative
     * @return whether every strand had ended
     * @throws IllegalStateException if called from a strand of this runtime
     */
    boolean close(Duration timeout);
}
