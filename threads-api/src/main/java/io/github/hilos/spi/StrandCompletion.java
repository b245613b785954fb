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
 * the whole stack it took. A joiner that gives up (timeout, interrupt) leaves its node behind; the unpark it
 * may later receive is a spurious wakeup, which the park contract allows.
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
    }

    /** Null, a stack of waiting {@link Node}s, or {@link #DONE}. CAS and acquire reads. */
    @SuppressWarnings("unused")
    private volatile Object state;

    private record Node(Strand waiter, Object next) {
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
        for (Object node = waiters; node instanceof Node n; node = n.next()) {
            n.waiter().unpark();
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
        Strand me = Strand.current();
        for (Object seen = STATE.getAcquire(this); seen != DONE; seen = STATE.getAcquire(this)) {
            if (STATE.compareAndSet(this, seen, new Node(me, seen))) {
                break;
            }
        }
        boolean timed = nanos != Long.MAX_VALUE;
        long deadline = timed ? Durations.deadline(nanos) : 0L;
        while (!isDone()) {
            if (Strand.interrupted()) {
                throw new InterruptedException("interrupted while joining");
            }
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Strand.parkNanos(left);
            } else {
                Strand.park();
            }
        }
        return true;
    }
}
