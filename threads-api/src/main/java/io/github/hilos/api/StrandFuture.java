package io.github.hilos.api;

import io.github.hilos.spi.StrandCompletion;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The result of a strand started by {@link StrandRuntime#submit(Callable)}: a {@link Future} whose waits park only
 * the waiting strand (a plain thread parks itself), and whose {@link #join()} returns the value or rethrows the
 * task's exception as it was thrown, as {@link StrandRuntime#run(Callable)} does.
 *
 * <p>States ({@code outcome}, set once by CAS, then {@code done} completed):
 * <pre>
 *   RUNNING -> SUCCESS     the task returned (the value is kept)
 *   RUNNING -> FAILED      the task threw (the throwable is kept)
 *   RUNNING -> CANCELLED   cancel() won the race: the strand is interrupted if asked, its later outcome dropped
 * </pre>
 * Memory ordering: the outcome is written by CAS (volatile) before {@code done} completes; readers wait on
 * {@code done} (or see the outcome), so the value is visible to them.
 *
 * @param <T> the result type
 */
public final class StrandFuture<T> implements Future<T> {

    private static final VarHandle OUTCOME;
    private static final Object CANCELLED = new Object();

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(StrandFuture.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A task's failure, boxed so that a task returning a Throwable is told apart. */
    private record Failure(Throwable cause) {
    }

    /** A successful value, boxed so that a task returning null is told apart from "not yet". */
    private record Value(Object value) {
    }

    private final StrandCompletion done = new StrandCompletion();
    private volatile Strand strand;
    /** Null while running; then a {@link Value}, a {@link Failure} or {@link #CANCELLED}. */
    @SuppressWarnings("unused")
    private volatile Object outcome;

    StrandFuture() {
    }

    /** The strand's body: runs the task and records its outcome. */
    void run(Callable<? extends T> task) {
        strand = Strand.current();
        Object result;
        try {
            result = new Value(task.call());
        } catch (Throwable t) {
            result = new Failure(t);
        }
        if (OUTCOME.compareAndSet(this, null, result)) {
            done.complete();
        }
    }

    void started(Strand s) {
        strand = s;
    }

    /**
     * Returns the strand that runs the task.
     *
     * @return the strand
     */
    public Strand strand() {
        return strand;
    }

    /**
     * Waits for the task and returns its value, or rethrows its exception as it was thrown.
     *
     * @return the value
     * @throws Exception what the task threw; {@link CancellationException} if cancelled;
     *     {@link InterruptedException} if the caller is interrupted while waiting
     */
    public T join() throws Exception {
        done.await();
        return valueOrThrow();
    }

    /** join()'s report: the task's own exception, as thrown; get()'s wraps it ({@link #reported()}). */
    private T valueOrThrow() throws Exception {
        try {
            return reported();
        } catch (ExecutionException wrapped) {
            Throwable cause = wrapped.getCause();
            if (cause instanceof Exception e) {
                throw e;
            }
            if (cause instanceof Error e) {
                throw e;
            }
            throw wrapped;
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!OUTCOME.compareAndSet(this, null, CANCELLED)) {
            return false;
        }
        done.complete();
        Strand s = strand;
        if (mayInterruptIfRunning && s != null) {
            s.interrupt();
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return outcome == CANCELLED;
    }

    @Override
    public boolean isDone() {
        return outcome != null;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        done.await();
        return reported();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        if (!done.awaitNanos(unit.toNanos(timeout))) {
            throw new TimeoutException("the strand's task did not end within " + timeout + " " + unit);
        }
        return reported();
    }

    @SuppressWarnings("unchecked")
    private T reported() throws ExecutionException {
        Object o = outcome;
        if (o instanceof Value v) {
            return (T) v.value();
        }
        if (o == CANCELLED) {
            throw new CancellationException("the strand's task was cancelled");
        }
        throw new ExecutionException(((Failure) o).cause());
    }

    @Override
    public String toString() {
        Object o = outcome;
        String state = o == null ? "running" : o == CANCELLED ? "cancelled" : o instanceof Value ? "done" : "failed";
        return "StrandFuture[" + state + (strand == null ? "" : ", " + strand.name()) + "]";
    }
}
