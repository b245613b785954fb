package io.github.hilos.api;


import io.github.hilos.spi.Durations;
import io.github.hilos.spi.StrandCarrier;
import io.github.hilos.spi.ThreadStrand;

import java.time.Duration;

/**
 * A unit of execution: the chapter's thread, with its own program counter, stack and state, whose resources
 * belong to the {@link StrandRuntime} that spawned it.
 *
 * <p>The static methods act on the calling strand; the instance methods act on the strand they are called on.
 * Every runtime implements the same contract:
 * <ul>
 *   <li><b>park/unpark</b> are permit-based, like {@link java.util.concurrent.locks.LockSupport}: a strand has
 *       at most one permit; {@link #unpark()} makes it available (an unpark before a park is not lost, many
 *       unparks leave one permit); {@link #park()} consumes it or waits for it. A park may also return
 *       spuriously, for no reason at all, so every park belongs inside a loop that re-checks its condition.
 *       A park returns at once while the strand's interrupt status is set.</li>
 *   <li><b>interrupt</b> sets the interrupt status and wakes a parked or sleeping strand; blocking calls of
 *       Hilos ({@link #sleep}, {@link #join}, the {@code sync} primitives) then throw
 *       {@link InterruptedException} and clear the status.</li>
 *   <li><b>join</b> waits for the strand's task to end, normally or not.</li>
 * </ul>
 *
 * <p>{@link #current()} works on every thread: inside a strand it returns that strand; on any other thread it
 * returns a strand view of that thread (parking parks the thread), so the {@code sync} primitives work from
 * plain threads too.
 *
 * <p>Runtime implementers subclass this class and implement the protected {@code ...Self} hooks, which are
 * only ever called on the current strand, by the strand itself.
 */
public abstract class Strand {

    /** {@link StrandLocal} keys and values, in pairs; read and written only by this strand (owner-only, plain). */
    Object[] locals;
    /** How many keys {@link #locals} holds; owner-only. */
    int localCount;
    /**
     * The runtime that spawned this strand; null for a plain thread's view. Written by the strand itself as its
     * body starts (owner-only, plain: {@link io.github.hilos.spi.AbstractStrandRuntime} sets it through a lookup
     * into this package), read by the strand, or by others after a join.
     */
    StrandRuntime runtime;
    /**
     * What the strand is parked on ({@link #park(Object)}), or null. Written only by the strand itself (plain);
     * others read a racy view, for dumps and deadlock reports.
     */
    private Object blocker;

    /** For runtime implementations. */
    protected Strand() {
    }

    /**
     * Returns the strand that is calling.
     *
     * @return the current strand, or a strand view of the current thread if it runs no strand
     */
    public static Strand current() {
        Thread thread = Thread.currentThread();
        if (thread instanceof StrandCarrier carrier) {
            Strand mounted = carrier.currentStrand();
            if (mounted != null) {
                return mounted;
            }
        }
        return ThreadStrand.ofCurrentThread();
    }

    /**
     * Returns the runtime that spawned this strand.
     *
     * @return the runtime, or null when this is a plain thread's view (see {@link #current()}), or a strand that
     *     has not started running yet
     */
    public StrandRuntime runtime() {
        return runtime;
    }

    /** Waits for this strand's permit, consuming it; may return spuriously (call it in a loop). */
    public static void park() {
        current().parkSelf();
    }

    /**
     * Like {@link #park()}, recording what the strand waits for while it is parked, as
     * {@link java.util.concurrent.locks.LockSupport#park(Object)} does: dumps show it, and a simulation reports a
     * deadlock as the cycle of strands and the objects they wait for. Hilos' synchronization primitives pass
     * themselves.
     *
     * @param blocker what the strand waits for (a lock, a channel, ...), or null
     */
    public static void park(Object blocker) {
        Strand me = current();
        me.blocker = blocker;
        try {
            me.parkSelf();
        } finally {
            me.blocker = null;
        }
    }

    /**
     * Like {@link #parkNanos(long)}, recording what the strand waits for: see {@link #park(Object)}.
     *
     * @param blocker what the strand waits for, or null
     * @param nanos the longest wait; zero or negative returns at once
     */
    public static void parkNanos(Object blocker, long nanos) {
        if (nanos > 0) {
            Strand me = current();
            me.blocker = blocker;
            try {
                me.parkSelfNanos(nanos);
            } finally {
                me.blocker = null;
            }
        }
    }

    /**
     * Returns what this strand waits for while it is parked in {@link #park(Object)} or one of Hilos' primitives
     * (a {@code Mutex}, a channel, the completion of a strand it joins, ...), or null. A racy view when asked from
     * another thread, as for {@link java.util.concurrent.locks.LockSupport#getBlocker(Thread)}.
     *
     * @return the blocker, or null
     */
    public Object blocker() {
        return blocker;
    }

    /**
     * Reads the clock of the calling strand's runtime, in nanoseconds, as {@link System#nanoTime()} does (only
     * differences are meaningful): {@code System.nanoTime()} on every runtime but the simulated one, where it is
     * the simulation's virtual time. Code that measures timeouts and deadlines with it keeps its behaviour on real
     * runtimes and becomes deterministic under simulation; Hilos' own timeouts use it.
     *
     * @return the current time of the runtime's clock
     */
    public static long nanoTime() {
        return Thread.currentThread() instanceof StrandCarrier carrier ? carrier.nanoTime() : System.nanoTime();
    }

    /**
     * Returns the random generator of the calling strand's runtime: {@link java.util.concurrent.ThreadLocalRandom}
     * on every runtime but the simulated one, where it is seeded from the simulation's seed, so that code that
     * draws from it (jitter, a random replica, a {@code Select} among ready channels) replays with the schedule.
     *
     * @return the generator; use it from the calling strand only
     */
    public static java.util.random.RandomGenerator random() {
        return Thread.currentThread() instanceof StrandCarrier carrier ? carrier.random()
                : java.util.concurrent.ThreadLocalRandom.current();
    }

    /**
     * Like {@link #park()}, but returns at the latest after {@code nanos} nanoseconds.
     *
     * @param nanos the longest wait; zero or negative returns at once
     */
    public static void parkNanos(long nanos) {
        if (nanos > 0) {
            current().parkSelfNanos(nanos);
        }
    }

    /** Lets other strands run before the calling one continues. */
    public static void yield() {
        current().yieldSelf();
    }

    /**
     * Sleeps for at least the given duration without blocking other strands of the runtime.
     *
     * @param duration how long; must not be negative
     * @throws InterruptedException if interrupted before or while sleeping (the status is cleared)
     */
    public static void sleep(Duration duration) throws InterruptedException {
        long nanos = Durations.toNanos(duration, "sleep duration");
        current().sleepSelf(nanos);
    }

    /**
     * Tests and clears the calling strand's interrupt status.
     *
     * @return whether the status was set
     */
    public static boolean interrupted() {
        Strand me = current();
        // A plain read first, as Thread.interrupted() does: clearing costs an atomic write, and is rarely needed.
        return me.isInterrupted() && me.clearInterruptSelf();
    }

    /**
     * Makes this strand's permit available, waking it if it is parked. Callable from any thread, at any time:
     * it has no effect on a strand that ended. Implementations never block, never switch strands and never
     * throw, because the {@code sync} primitives call it while holding their internal queue lock.
     */
    public abstract void unpark();

    /**
     * Waits for this strand's task to end.
     *
     * @throws InterruptedException if the caller is interrupted while waiting
     */
    public abstract void join() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for this strand's task to end.
     *
     * @param timeout the longest wait; must not be negative
     * @return {@code true} if the task ended, {@code false} on timeout
     * @throws InterruptedException if the caller is interrupted while waiting
     */
    public abstract boolean join(Duration timeout) throws InterruptedException;

    /** Sets this strand's interrupt status and wakes it if it is parked, sleeping or blocked in Hilos. */
    public abstract void interrupt();

    /**
     * Tests this strand's interrupt status without clearing it.
     *
     * @return whether it is set
     */
    public abstract boolean isInterrupted();

    /**
     * Tests whether this strand has been started and its task has not ended yet.
     *
     * @return whether the task is still running or waiting to run
     */
    public abstract boolean isAlive();

    /**
     * Returns this strand's name.
     *
     * @return the name given at spawn, or one the runtime made up
     */
    public abstract String name();

    /**
     * Returns an identifier unique among the strands of this strand's runtime.
     *
     * @return the id
     */
    public abstract long id();

    /** Hook for {@link #park()}; called only by this strand on itself. */
    protected abstract void parkSelf();

    /**
     * Hook for {@link #parkNanos(long)}; called only by this strand on itself.
     *
     * @param nanos the longest wait, positive
     */
    protected abstract void parkSelfNanos(long nanos);

    /** Hook for {@link #yield()}; called only by this strand on itself. */
    protected abstract void yieldSelf();

    /**
     * Hook for {@link #interrupted()}; called only by this strand on itself.
     *
     * @return whether the interrupt status was set
     */
    protected abstract boolean clearInterruptSelf();

    /**
     * Hook for {@link #sleep(Duration)}; called only by this strand on itself. The default parks until the
     * deadline, checking the interrupt status; runtimes with a timer of their own may override it.
     *
     * @param nanos how long, not negative
     * @throws InterruptedException if interrupted
     */
    protected void sleepSelf(long nanos) throws InterruptedException {
        long deadline = Durations.deadline(nanos);
        for (long left = nanos; ; left = deadline - nanoTime()) {
            if (clearInterruptSelf()) {
                throw new InterruptedException("interrupted while sleeping: " + name());
            }
            if (left <= 0) {
                return;
            }
            parkSelfNanos(left);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id() + ", " + name() + (isAlive() ? "" : ", ended") + "]";
    }
}
