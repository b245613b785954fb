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
     * Runs a blocking call in the background and returns its result as a {@link java.util.concurrent.CompletionStage}:
     * the asynchronous call a non-blocking design waits for (a state-table server's transition, a
     * {@code CompletableFuture} pipeline). The call runs on a JDK virtual thread of its own, which blocks nothing
     * of any runtime (under simulation: in a strand of the simulation, as a jacketed call); the caller does not
     * wait. The stage completes with the call's value or its exception.
     *
     * @param task the blocking call
     * @param <T> its result type
     * @return the pending result
     */
    public static <T> java.util.concurrent.CompletableFuture<T> async(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() instanceof StrandCarrier carrier && carrier.currentStrand() != null) {
            return carrier.jacketAsync(task);
        }
        return onVirtualThread(task);
    }

    /**
     * What {@link #async} does by default: the call on a JDK virtual thread of its own.
     *
     * @param task the blocking call
     * @param <T> its result type
     * @return the pending result
     */
    public static <T> java.util.concurrent.CompletableFuture<T> onVirtualThread(Callable<T> task) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("hilos-jacket-async").start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
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
            waitFor(future, timeout);
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
            if (cause instanceof Exception exception) {
                throw exception;
            }
            // A Throwable that is neither: wrapped, as Future.get() does.
            throw new java.util.concurrent.ExecutionException(cause);
        }
    }

    /**
     * Parks until {@code future} completes. The wake-up hangs on the future through {@code anyOf(future, giveUp)}:
     * that dependent stops being live once the {@code anyOf} result is set, and completing {@code giveUp} (a
     * waiter that times out or is interrupted) sets it and makes {@code CompletableFuture} unlink dead
     * dependents from the future's stack. So abandoned waits do not pile up on a long-pending future; one
     * {@code whenComplete} per wait would stay until the future completes.
     */
    private static void waitFor(java.util.concurrent.CompletableFuture<?> future, java.time.Duration timeout)
            throws Exception {
        java.util.concurrent.CompletableFuture<Void> giveUp = new java.util.concurrent.CompletableFuture<>();
        io.github.hilos.sync.CountDownLatch done = new io.github.hilos.sync.CountDownLatch(1);
        java.util.concurrent.CompletableFuture.anyOf(future, giveUp).whenComplete((r, e) -> done.countDown());
        boolean completed = false;
        try {
            completed = timeout == null ? awaitUntimed(done) : done.await(timeout);
            if (!completed) {
                throw new java.util.concurrent.TimeoutException("not complete within " + timeout);
            }
        } finally {
            if (!completed) {
                giveUp.complete(null);
            }
        }
    }

    private static boolean awaitUntimed(io.github.hilos.sync.CountDownLatch done) throws InterruptedException {
        done.await();
        return true;
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
