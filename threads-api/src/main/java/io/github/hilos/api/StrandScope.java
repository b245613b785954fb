package io.github.hilos.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Structured concurrency for strands, named after the JDK's {@code StructuredTaskScope} so that it reads familiar:
 * subtasks forked in a scope are strands of the same runtime, and none outlives the scope.
 *
 * <pre>{@code
 * try (StrandScope scope = StrandScope.open()) {          // inside a strand
 *     StrandScope.Subtask<User> user = scope.fork(() -> fetchUser(id));
 *     StrandScope.Subtask<Order> order = scope.fork(() -> fetchOrder(id));
 *     scope.join();                                       // all succeed, or the first failure is thrown
 *     return new Page(user.get(), order.get());
 * }
 * }</pre>
 *
 * <p>The policy is the JDK's default one ("all succeed, or fail on the first failure"): {@link #join()} waits for
 * every subtask; at the first failure it interrupts the others, waits for them to end, and throws that failure.
 * {@link #close()} interrupts the subtasks still running and waits for them, so a scope closed early (an exception
 * in its owner, a return before {@code join}) leaves no strand behind. A scope belongs to the strand that opened
 * it: fork, join and close from that strand only.
 *
 * <p>Not thread-safe but for the subtasks' own completion, which any strand may report.
 */
public final class StrandScope implements AutoCloseable {

    /** What a subtask is at a given moment, as {@code StructuredTaskScope.Subtask.State}. */
    public enum State {
        /** Not finished yet (or finished after the scope had already failed). */
        UNAVAILABLE,
        /** Returned a value. */
        SUCCESS,
        /** Threw. */
        FAILED
    }

    /**
     * A forked subtask.
     *
     * @param <T> its result type
     */
    public static final class Subtask<T> {
        private final StrandFuture<T> future;

        private Subtask(StrandFuture<T> future) {
            this.future = future;
        }

        /**
         * Returns the subtask's state.
         *
         * @return the state
         */
        public State state() {
            if (!future.isDone() || future.isCancelled()) {
                return State.UNAVAILABLE;
            }
            return future.state() == java.util.concurrent.Future.State.SUCCESS ? State.SUCCESS : State.FAILED;
        }

        /**
         * Returns the value of a subtask that succeeded; call it after {@link StrandScope#join()}.
         *
         * @return the value
         * @throws IllegalStateException if the subtask did not succeed
         */
        public T get() {
            if (state() != State.SUCCESS) {
                throw new IllegalStateException("the subtask's state is " + state() + ", not SUCCESS"
                        + " (call get() after a join() that returned)");
            }
            return future.resultNow();
        }

        /**
         * Returns the exception of a subtask that failed.
         *
         * @return what it threw
         * @throws IllegalStateException if the subtask did not fail
         */
        public Throwable exception() {
            if (state() != State.FAILED) {
                throw new IllegalStateException("the subtask's state is " + state() + ", not FAILED");
            }
            return future.exceptionNow();
        }

        /**
         * Returns the strand that runs the subtask.
         *
         * @return the strand
         */
        public Strand strand() {
            return future.strand();
        }
    }

    private final StrandRuntime runtime;
    private final Strand owner;
    private final List<Subtask<?>> subtasks = new ArrayList<>();
    /** Counted down by each subtask as it ends: join waits on it. */
    private final io.github.hilos.sync.Semaphore ended = new io.github.hilos.sync.Semaphore(0);
    private boolean joined;
    private boolean closed;

    private StrandScope(StrandRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.owner = Strand.current();
    }

    /**
     * Opens a scope whose subtasks run on the calling strand's runtime.
     *
     * @return the scope
     * @throws IllegalStateException if the caller is not a strand of a runtime (use {@link #open(StrandRuntime)})
     */
    public static StrandScope open() {
        StrandRuntime rt = Strand.current().runtime();
        if (rt == null) {
            throw new IllegalStateException("StrandScope.open() needs to run in a strand; on "
                    + Thread.currentThread().getName() + " use StrandScope.open(runtime)");
        }
        return new StrandScope(rt);
    }

    /**
     * Opens a scope whose subtasks run on {@code runtime}.
     *
     * @param runtime where the subtasks run
     * @return the scope
     */
    public static StrandScope open(StrandRuntime runtime) {
        return new StrandScope(runtime);
    }

    private void checkOwner(String what) {
        if (Strand.current() != owner) {
            throw new IllegalStateException(what + " from " + Strand.current() + ", but the scope belongs to " + owner);
        }
        if (closed) {
            throw new IllegalStateException(what + " on a closed scope");
        }
    }

    /**
     * Starts a subtask: a strand of the scope's runtime that runs {@code task}.
     *
     * @param task the subtask
     * @param <T> its result type
     * @return the subtask, whose value is available after {@link #join()}
     * @throws IllegalStateException if called from another strand than the owner, after join, or after close
     */
    public <T> Subtask<T> fork(Callable<? extends T> task) {
        checkOwner("fork");
        if (joined) {
            throw new IllegalStateException("fork after join");
        }
        Objects.requireNonNull(task, "task");
        StrandFuture<T> future = new StrandFuture<>();
        Subtask<T> subtask = new Subtask<>(future);
        future.started(runtime.spawn("scope-subtask-" + subtasks.size(), () -> {
            try {
                future.run(task);
            } finally {
                ended.release();
            }
        }));
        subtasks.add(subtask);
        return subtask;
    }

    /**
     * Waits for every subtask; at the first failure, interrupts the others, waits for them, and throws it.
     *
     * @throws Exception the first failure of a subtask, as it was thrown (an {@code Error} too), or
     *     {@link InterruptedException} if the owner is interrupted while waiting (the subtasks are then interrupted
     *     and waited for)
     * @throws IllegalStateException on a second join, as {@code StructuredTaskScope} does
     */
    public void join() throws Exception {
        checkOwner("join");
        if (joined) {
            throw new IllegalStateException("join called twice on one scope");
        }
        joined = true;
        int left = subtasks.size();
        List<Subtask<?>> pending = new ArrayList<>(subtasks);
        try {
            while (left > 0) {
                ended.acquire();
                left--;
                for (int i = 0; i < pending.size(); i++) {
                    Subtask<?> s = pending.get(i);
                    if (s.future.isDone()) {
                        pending.remove(i--);
                        if (s.state() == State.FAILED) {
                            cancelAndWait();
                            Throwable t = s.future.exceptionNow();
                            if (t instanceof Exception e) {
                                throw e;
                            }
                            if (t instanceof Error e) {
                                throw e;
                            }
                            throw new java.util.concurrent.ExecutionException(t);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            cancelAndWait();
            throw e;
        }
    }

    /** Interrupts every subtask still running and waits until all have ended (uninterruptibly: none may leak). */
    private void cancelAndWait() {
        for (Subtask<?> s : subtasks) {
            if (!s.future.isDone()) {
                s.strand().interrupt();
            }
        }
        boolean interrupted = false;
        for (Subtask<?> s : subtasks) {
            for (;;) {
                try {
                    s.strand().join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            owner.interrupt();
        }
    }

    /** Interrupts the subtasks still running and waits for them: no strand outlives its scope. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Strand.current() != owner) {
            throw new IllegalStateException("close from " + Strand.current() + ", but the scope belongs to " + owner);
        }
        closed = true;
        cancelAndWait();
    }
}
