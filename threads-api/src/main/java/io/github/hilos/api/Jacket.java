package io.github.hilos.api;

import io.github.hilos.spi.StrandCarrier;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The chapter's <em>jacket</em>: wraps a blocking call so that it blocks only the calling strand, not the other
 * strands of its runtime. On kernel-thread runtimes (and plain threads) the call simply runs inline, since there
 * blocking a strand blocks nothing else; user-level runtimes run it on a pool of kernel threads and park the
 * strand meanwhile.
 */
public final class Jacket {

    private Jacket() {
    }

    /**
     * Runs a blocking call (file I/O, DNS, JDBC, {@code Process.waitFor}, ...) without blocking other strands.
     *
     * @param task the call
     * @param <T> its result type
     * @return its result
     * @throws Exception what the call throws
     */
    public static <T> T call(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() instanceof StrandCarrier carrier && carrier.currentStrand() != null) {
            return carrier.jacket(task);
        }
        return task.call();
    }

    /**
     * Waits for an asynchronous result as a strand-blocking call: the calling strand parks until {@code stage}
     * completes (no pool thread is used), so that asynchronous APIs such as the JDK {@code HttpClient} read like
     * blocking calls in strand code.
     *
     * @param stage the pending result
     * @param <T> its type
     * @return the result
     * @throws Exception what the stage failed with (unwrapped from {@link java.util.concurrent.CompletionException}
     *     and {@link java.util.concurrent.ExecutionException}); {@link InterruptedException} if the strand is
     *     interrupted while it waits (the stage is left running)
     */
    public static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return await(stage, null);
    }

    /**
     * Waits at most {@code timeout} for an asynchronous result; see {@link #await(java.util.concurrent.CompletionStage)}.
     *
     * @param stage the pending result
     * @param timeout the longest wait, or null for none
     * @param <T> its type
     * @return the result
     * @throws java.util.concurrent.TimeoutException if it is not complete in time (the stage is left running)
     * @throws Exception what the stage failed with, or {@link InterruptedException}
     */
    public static <T> T await(java.util.concurrent.CompletionStage<T> stage, java.time.Duration timeout)
            throws Exception {
        java.util.concurrent.CompletableFuture<T> future = Objects.requireNonNull(stage, "stage").toCompletableFuture();
        if (!future.isDone()) {
            io.github.hilos.sync.CountDownLatch done = new io.github.hilos.sync.CountDownLatch(1);
            future.whenComplete((r, e) -> done.countDown());
            if (timeout == null) {
                done.await();
            } else if (!done.await(timeout)) {
                throw new java.util.concurrent.TimeoutException("not complete within " + timeout);
            }
        }
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.ExecutionException ee && ee.getCause() != null) {
                cause = ee.getCause();
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw (Exception) cause;
        }
    }

    /**
     * Waits for {@code future} like {@link #await(java.util.concurrent.CompletionStage)}, and cancels it if the
     * strand is interrupted while it waits (an abandoned attempt should not keep running: cancelling a JDK
     * {@code HttpClient} future aborts its exchange).
     *
     * @param future the pending result
     * @param <T> its type
     * @return the result
     * @throws Exception what it failed with, or {@link InterruptedException} (after cancelling it)
     */
    public static <T> T awaitOrCancel(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        try {
            return await(future, null);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }
}
