package io.github.hilos.spi;

import io.github.hilos.api.Strand;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The end of a strand's task, as joiners wait for it: a one-shot latch built only on strand park/unpark, so a
 * strand of any runtime (or a plain thread) can join a strand of any other.
 *
 * <p>Design: {@code state} is {@code null} (running, nobody waits), a stack of {@link Node}s (running, these
 * strands wait), or {@code DONE}. Joiners push with CAS; {@link #complete()} swaps in {@code DONE} and unparks
 * the whole stack it took. A joiner that gives up (timeout, interrupt) marks its node cancelled and leaves it;
 * the next joiner pops cancelled nodes off the top before pushing, so a strand that polls with
 * {@code join(timeout)} in a loop does not grow the stack. An unpark that reaches a joiner that already gave up
 * is a spurious wakeup, which the park contract allows.
 *
 * <p>Memory ordering: {@code state} is read with acquire and changed by CAS (volatile); everything the task did
 * before {@link #complete()} happens-before a joiner's return.
 */
public final class StrandCompletion {

    private static final Object DONE = new Object();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(StrandCompletion.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        linkCallSites();
    }

    /**
     * Runs every VarHandle access of this class once. The JVM links a call site the first time it runs, and linking
     * allocates: the first strand to end must not link {@link #complete()} under a full heap, where an
     * OutOfMemoryError between the strand's end and its completion would leave its joiners waiting for good.
     */
    private static void linkCallSites() {
        StrandCompletion warm = new StrandCompletion();
        warm.push(null).cancelled = true;
        warm.push(null).cancelled = true; // pops the first: both compare-and-sets ran
        warm.complete();
        warm.isDone();
    }

    /** Null, a stack of waiting {@link Node}s, or {@link #DONE}. CAS and acquire reads. */
    @SuppressWarnings("unused")
    private volatile Object state;

    private static final class Node {
        final Strand waiter;
        final Object next;
        /** Set by the joiner when it gives up; read by later joiners (volatile). */
        volatile boolean cancelled;

        Node(Strand waiter, Object next) {
            this.waiter = waiter;
            this.next = next;
        }
    }

    /** Makes an unfinished completion. */
    public StrandCompletion() {
    }

    /**
     * Tells whether {@link #complete()} has been called.
     *
     * @return whether the task ended
     */
    public boolean isDone() {
        return STATE.getAcquire(this) == DONE;
    }

    /** Marks the task ended and wakes every joiner. Called once, by the ending strand. */
    public void complete() {
        Object waiters = STATE.getAndSet(this, DONE);
        assert waiters != DONE : "completed twice";
        for (Object node = waiters; node instanceof Node n; node = n.next) {
            if (!n.cancelled) {
                n.waiter.unpark();
            }
        }
    }

    /**
     * Waits until the task ended.
     *
     * @throws InterruptedException if the caller is interrupted first (its status is cleared)
     */
    public void await() throws InterruptedException {
        awaitNanos(Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} until the task ended: {@link io.github.hilos.api.Strand#join(java.time.Duration)}
     * for runtimes whose strands end through a completion.
     *
     * @param timeout the longest wait; must not be negative
     * @return whether the task ended
     * @throws InterruptedException if the caller is interrupted first (its status is cleared)
     */
    public boolean await(java.time.Duration timeout) throws InterruptedException {
        return awaitNanos(Durations.toNanos(timeout, "join timeout"));
    }

    /**
     * Waits at most {@code nanos} until the task ended.
     *
     * @param nanos the longest wait; {@link Long#MAX_VALUE} waits without limit
     * @return whether the task ended
     * @throws InterruptedException if the caller is interrupted first (its status is cleared)
     */
    public boolean awaitNanos(long nanos) throws InterruptedException {
        if (isDone()) {
            return true;
        }
        if (Strand.interrupted()) {
            throw new InterruptedException("interrupted while joining");
        }
        if (nanos <= 0) {
            return false;
        }
        Node node = push(Strand.current());
        if (node == null) {
            return true;
        }
        boolean timed = nanos != Long.MAX_VALUE;
        long deadline = timed ? Durations.deadline(nanos) : 0L;
        while (!isDone()) {
            if (Strand.interrupted()) {
                node.cancelled = true;
                throw new InterruptedException("interrupted while joining");
            }
            if (timed) {
                long left = deadline - Strand.nanoTime();
                if (left <= 0) {
                    node.cancelled = true;
                    return false;
                }
                Strand.parkNanos(this, left);
            } else {
                Strand.park(this);
            }
        }
        return true;
    }

    /** Counts the joiner nodes in the stack, cancelled ones included; for tests. */
    int nodeCount() {
        int n = 0;
        for (Object node = STATE.getAcquire(this); node instanceof Node top; node = top.next) {
            n++;
        }
        return n;
    }

    /** Pushes a waiter node, first popping cancelled ones off the top; null if already done. */
    private Node push(Strand me) {
        for (;;) {
            Object seen = STATE.getAcquire(this);
            if (seen == DONE) {
                return null;
            }
            if (seen instanceof Node top && top.cancelled) {
                STATE.compareAndSet(this, seen, top.next);
                continue;
            }
            Node node = new Node(me, seen);
            if (STATE.compareAndSet(this, seen, node)) {
                return node;
            }
        }
    }
}
