package io.github.hilos.sync;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.Durations;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One strand waiting in a {@link WaitQueue}: the hand-over point between a waiter and the strand that serves it.
 *
 * <p>Protocol: a waiter is served exactly once, by whoever wins a CAS on it: a server <em>claims</em> it
 * ({@code WAITING -> CLAIMED}), the waiter itself <em>cancels</em> it on timeout or interrupt
 * ({@code WAITING -> CANCELLED}). A waiter that belongs to a {@link Select} shares that CAS with its sibling
 * waiters on other channels through its {@link SelectGroup}, so at most one of them is served.
 * <pre>
 *   WAITING -> CLAIMED    by a server: it handed over the item, the permit or the lock, then unparks
 *   WAITING -> CANCELLED  by the waiter: timeout or interrupt; servers skip it
 * </pre>
 * Memory ordering: a server writes {@link #item} (plain) before its claim CAS (volatile); the waiter reads
 * {@link #item} after it saw CLAIMED (volatile read), so the item is visible. Queue links are guarded by the
 * owning primitive's queue lock (a {@link SpinLock}, or the lock bit of {@link Semaphore}'s sync word).
 */
final class Waiter {

    static final int WAITING = 0;
    static final int CLAIMED = 1;
    static final int CANCELLED = 2;

    /** {@link #await} outcomes. */
    static final int SERVED = 0;
    static final int TIMED_OUT = 1;
    static final int INTERRUPTED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Strand strand;
    /** The select this waiter is one case of, or null. */
    final SelectGroup group;
    /** The select case index, or -1. */
    final int caseIndex;
    /** The item handed over: a sender's value, a received value, or {@link BufferedChannel#CLOSED}. */
    Object item;
    /** Permits a semaphore waiter asks for. */
    int permits;

    /** Links of the {@link WaitQueue} it is in; guarded by that queue's lock. */
    Waiter prev;
    Waiter next;
    /** The queue it is linked in, or null. */
    WaitQueue queue;

    /** WAITING, CLAIMED or CANCELLED when {@link #group} is null; unused otherwise. */
    @SuppressWarnings("unused")
    private volatile int state;

    Waiter(Strand strand) {
        this(strand, null, -1);
    }

    Waiter(Strand strand, SelectGroup group, int caseIndex) {
        this.strand = strand;
        this.group = group;
        this.caseIndex = caseIndex;
    }

    /** Server side: wins the right to serve this waiter. Any thread. */
    boolean tryClaim() {
        return group == null ? STATE.compareAndSet(this, WAITING, CLAIMED) : group.tryClaim(this);
    }

    /** Waiter side: gives up waiting, unless a server won first. */
    boolean tryCancel() {
        return group == null ? STATE.compareAndSet(this, WAITING, CANCELLED) : group.tryCancel();
    }

    /** Whether a server may still claim it. */
    boolean isWaiting() {
        return group == null ? (int) STATE.getVolatile(this) == WAITING : group.isWaiting();
    }

    boolean isClaimed() {
        return group == null ? (int) STATE.getVolatile(this) == CLAIMED : group.winner() != null;
    }

    /** Claims and wakes; returns false if the waiter gave up or was served elsewhere. */
    boolean claimAndWake() {
        if (tryClaim()) {
            strand.unpark();
            return true;
        }
        return false;
    }

    /**
     * Parks the calling strand (the waiter's own) until it is claimed, or it gives up.
     *
     * @param nanos the longest wait, {@link Long#MAX_VALUE} for none
     * @param interruptible whether an interrupt ends the wait; if not, the interrupt is kept for later
     * @param blocker what the strand waits for, recorded while it is parked ({@link Strand#blocker()})
     * @return {@link #SERVED}, {@link #TIMED_OUT} or {@link #INTERRUPTED} (status cleared); when a server wins
     *     the race with a timeout or an interrupt, SERVED, with the interrupt status set again
     */
    int await(long nanos, boolean interruptible, Object blocker) {
        assert Strand.current() == strand;
        boolean timed = nanos != Long.MAX_VALUE;
        long deadline = timed ? Durations.deadline(nanos) : 0L;
        boolean keptInterrupt = false;
        int outcome = SERVED;
        while (!isClaimed()) {
            if (Strand.interrupted()) {
                if (!interruptible) {
                    keptInterrupt = true;
                } else if (tryCancel()) {
                    outcome = INTERRUPTED;
                    break;
                } else {
                    keptInterrupt = true;
                    break;
                }
            }
            if (timed) {
                long left = deadline - Strand.nanoTime();
                if (left <= 0) {
                    if (tryCancel()) {
                        outcome = TIMED_OUT;
                    }
                    break;
                }
                Strand.parkNanos(blocker, left);
            } else {
                Strand.park(blocker);
            }
        }
        if (keptInterrupt) {
            strand.interrupt();
        }
        return outcome;
    }
}
