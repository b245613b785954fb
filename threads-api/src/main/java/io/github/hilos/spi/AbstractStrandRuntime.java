package io.github.hilos.spi;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandExceptionHandler;
import io.github.hilos.api.StrandRuntime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * What every runtime shares: the open/closing life cycle, counting live strands for {@link #close()},
 * routing uncaught exceptions to the handler, and {@link #run(Callable)} on top of spawn and join.
 * A runtime implements {@link #start(String, Runnable)} and, if it owns threads, {@link #shutdown()}.
 *
 * <p>Design: the live strands are counted in stripes, each on cache lines of its own, a thread adding to the
 * stripe its id selects (consecutive thread ids, as a runtime's carriers have, get distinct stripes): one counter
 * changed by every spawn and every end on every carrier made each of them a cache miss on an M:N runtime. The
 * count is the sum of the stripes. A spawn adds one to its stripe, then reads {@code closing}; {@link #close()}
 * sets {@code closing}, then sums; both are volatile accesses, so at least one sees the other (a Dekker pair):
 * either the spawn sees the close and takes its one back, or the close counts the spawn. After {@code closing}
 * is set only ends (and refused spawns, which add and take back) change the stripes, so a sum can only count too
 * many, never too few; every end of a closing runtime and every refused spawn sums again, the same Dekker pair
 * makes at least one of two concurrent last ends see the other, and the first sum of zero completes
 * {@code terminated}, which {@link #close()} waits on.
 */
public abstract class AbstractStrandRuntime implements StrandRuntime {

    /** One stripe per 128 bytes (two cache lines, for CPUs that fetch lines in pairs). */
    private static final int STRIDE = 16;
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(long[].class);
    /** {@code Strand.runtime}: package-private in the API package of this same module, set as a body starts. */
    private static final VarHandle STRAND_RUNTIME;

    static {
        try {
            STRAND_RUNTIME = MethodHandles.privateLookupIn(Strand.class, MethodHandles.lookup())
                    .findVarHandle(Strand.class, "runtime", StrandRuntime.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    /** The name of strands spawned without one: made once, not per spawn (a strand costs bytes that matter). */
    private final String defaultStrandName;
    private final StrandExceptionHandler handler;
    /** Live strands, in stripes at {@code STRIDE * i + STRIDE / 2}; spawns add, ends take away; volatile. */
    private final long[] stripes;
    /** {@code stripes} count minus one (a power of two minus one). */
    private final int stripeMask;
    /** Set by the first close(); no spawn is accepted after a spawn saw it. */
    private volatile boolean closing;
    /** Set by whoever first sums zero live strands once closing; {@code terminated} completes once. */
    private final AtomicBoolean terminatedOnce = new AtomicBoolean();
    /** Completed when the runtime is closing and no strand is live. */
    private final StrandCompletion terminated = new StrandCompletion();
    /** Set by the first close() to finish waiting; shutdown() runs once. */
    private final AtomicBoolean shutDown = new AtomicBoolean();
    /** Completed when shutdown() returned: a concurrent close() that lost the race waits for it too. */
    private final StrandCompletion shutdownDone = new StrandCompletion();

    /**
     * Starts the life cycle of a runtime.
     *
     * @param name the runtime's name
     * @param options the options it was opened with
     */
    @SuppressWarnings("this-escape") // enter and strandEnded are final and touch only fields set above
    protected AbstractStrandRuntime(String name, RuntimeOptions options) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultStrandName = name + "-strand";
        this.handler = Objects.requireNonNull(options, "options").exceptionHandler();
        // Four stripes a processor, a power of two from 4 to 256: a runtime's carriers, made one after the other,
        // have nearby thread ids and so distinct stripes.
        int n = Integer.highestOneBit(Math.clamp(4L * Runtime.getRuntime().availableProcessors(), 4, 256) * 2 - 1);
        this.stripes = new long[n * STRIDE];
        this.stripeMask = n - 1;
        // The JVM links each VarHandle call site the first time it runs, and linking allocates: a strand ending
        // under a full heap must not be the first to run strandEnded's, or its OutOfMemoryError leaves the count
        // (and close()) wrong. Run both ends of the accounting once now, and the calls of a closing end, while memory
        // is there (the compare-and-set from true fails while the runtime is open: it links, and changes nothing).
        enter();
        strandEnded();
        liveStrands();
        terminatedOnce.compareAndSet(true, true);
    }

    /**
     * Starts a strand that runs {@code body}. The body already reports the task's exception; after it returns,
     * the runtime marks the strand ended (so that joiners return and {@link Strand#isAlive()} is false) and then
     * calls {@link #strandEnded()}, in that order, so that {@link #close()} returns only after every strand ended.
     *
     * @param strandName the strand's name
     * @param body what the strand runs
     * @return the started strand
     */
    protected abstract Strand start(String strandName, Runnable body);

    /** Releases the runtime's own threads; called once, by the first {@link #close()}, after every strand ended. */
    protected void shutdown() {
    }

    /**
     * Tells whether the calling code runs in a strand of this runtime.
     *
     * @return whether {@link Strand#current()} belongs to this runtime
     */
    protected abstract boolean isOwnStrand();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Strand spawn(Runnable task) {
        return spawn(defaultStrandName, task);
    }

    @Override
    public final Strand spawn(String strandName, Runnable task) {
        return spawnWith(strandName, task, body -> start(strandName, body));
    }

    /**
     * Spawns a strand through a starter of the runtime's own, for spawn variants a runtime adds to its API
     * (priorities, affinity): the life-cycle accounting and exception routing are the same as for
     * {@link #spawn(String, Runnable)}, and {@code starter} has the same duties as {@link #start}.
     *
     * @param strandName the strand's name
     * @param task what the strand does
     * @param starter starts a strand that runs the body it is given
     * @return the started strand
     */
    protected final Strand spawnWith(String strandName, Runnable task, Function<Runnable, Strand> starter) {
        Objects.requireNonNull(strandName, "strand name");
        Objects.requireNonNull(task, "task");
        enter();
        try {
            return starter.apply(() -> runBody(task));
        } catch (RuntimeException | Error e) {
            strandEnded();
            throw e;
        }
    }

    private void runBody(Runnable task) {
        try {
            STRAND_RUNTIME.set(Strand.current(), (StrandRuntime) this); // plain: the strand reads its own field
            task.run();
        } catch (Throwable failure) {
            reportUncaught(Strand.current(), failure);
        }
    }

    /**
     * Hands an uncaught exception to the handler; if the handler throws, logs both and carries on. Never throws:
     * under memory pressure (the JVM may hand out one preallocated {@link OutOfMemoryError} again and again, so
     * the handler may rethrow the very object it was given) the log line is dropped rather than the thread that
     * reports, which on a user-level runtime is a carrier.
     *
     * @param strand the strand that failed
     * @param failure what it threw
     */
    protected final void reportUncaught(Strand strand, Throwable failure) {
        try {
            handler.uncaught(strand, failure);
        } catch (Throwable handlerFailure) {
            try {
                if (handlerFailure != failure) {
                    handlerFailure.addSuppressed(failure);
                }
                System.getLogger("io.github.hilos").log(System.Logger.Level.ERROR,
                        "the exception handler of runtime " + name + " threw while handling a failure of " + strand,
                        handlerFailure);
            } catch (Throwable dropped) {
                // nothing left to report with; the strand still ends and the runtime goes on
            }
        }
    }

    private void enter() {
        int stripe = stripe();
        STRIPES.getAndAdd(stripes, stripe, 1L); // volatile: ordered before the read of closing (Dekker with close)
        if (closing) {
            STRIPES.getAndAdd(stripes, stripe, -1L);
            terminateIfNoneLive();
            throw new IllegalStateException("runtime '" + name + "' is closed; it accepts no new strands");
        }
    }

    /** Accounts for the end of a strand; called by the runtime once per started strand, after its completion. */
    protected final void strandEnded() {
        STRIPES.getAndAdd(stripes, stripe(), -1L);
        if (closing) {
            terminateIfNoneLive();
        }
    }

    /** The calling thread's stripe: its id modulo the stripe count (a thread id never changes). */
    private int stripe() {
        return ((int) Thread.currentThread().threadId() & stripeMask) * STRIDE + STRIDE / 2;
    }

    private void terminateIfNoneLive() {
        if (liveStrands() == 0 && terminatedOnce.compareAndSet(false, true)) {
            terminated.complete();
        }
    }

    /**
     * Returns how many strands were spawned and have not ended.
     *
     * @return the live-strand count, exact when no strand starts or ends during the read
     */
    protected final long liveStrands() {
        long sum = 0;
        for (int i = STRIDE / 2; i < stripes.length; i += STRIDE) {
            sum += (long) STRIPES.getVolatile(stripes, i);
        }
        // While the runtime is open, a read can see a strand's end (on one stripe) and not its spawn (on another
        // stripe read earlier): never below zero. Once closing, every accepted spawn is visible and a sum is never
        // below the true count.
        return Math.max(0, sum);
    }

    /**
     * Tells whether the runtime is closing and every strand has ended: what {@link #close()} waits for before it
     * shuts the runtime down.
     *
     * @return whether the close's wait for strands is over
     */
    protected final boolean isTerminated() {
        return terminated.isDone();
    }

    /**
     * Tells whether {@link #close()} has been called.
     *
     * @return whether the runtime refuses new strands
     */
    public final boolean isClosing() {
        return closing;
    }

    @Override
    public final <T> T run(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        Object[] outcome = new Object[2];
        Strand strand = spawn(name + "-run", () -> {
            try {
                outcome[0] = task.call();
            } catch (Throwable failure) {
                outcome[1] = failure;
            }
        });
        try {
            strand.join();
        } catch (InterruptedException e) {
            strand.interrupt();
            throw e;
        }
        // join() orders the strand's writes before this read.
        if (outcome[1] instanceof Exception e) {
            throw e;
        }
        if (outcome[1] instanceof Error e) {
            throw e;
        }
        if (outcome[1] != null) {
            throw new IllegalStateException("task threw a non-standard Throwable", (Throwable) outcome[1]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) outcome[0];
        return value;
    }

    @Override
    public final void close() {
        closeNanos(Long.MAX_VALUE);
    }

    @Override
    public final boolean close(Duration timeout) {
        return closeNanos(Durations.toNanos(timeout, "close timeout"));
    }

    private boolean closeNanos(long nanos) {
        if (isOwnStrand()) {
            throw new IllegalStateException("close() called from a strand of runtime '" + name
                    + "', which would wait for itself; close it from outside its strands");
        }
        closing = true; // volatile: ordered before the sum (Dekker with enter)
        terminateIfNoneLive();
        long deadline = Durations.deadline(nanos);
        try {
            if (!terminated.awaitNanos(nanos)) {
                return false;
            }
            if (shutDown.compareAndSet(false, true)) {
                try {
                    shutdown();
                } finally {
                    shutdownDone.complete();
                }
                return true;
            }
            // Another close() is shutting the runtime down: true only once its threads have ended.
            return nanos == Long.MAX_VALUE ? awaitShutdown() : shutdownDone.awaitNanos(deadline - Strand.nanoTime());
        } catch (InterruptedException e) {
            Strand.current().interrupt();
            return false;
        }
    }

    private boolean awaitShutdown() throws InterruptedException {
        shutdownDone.await();
        return true;
    }

    @Override
    public String toString() {
        return "StrandRuntime[" + name + ", live strands " + liveStrands() + (closing ? ", closing]" : "]");
    }
}
