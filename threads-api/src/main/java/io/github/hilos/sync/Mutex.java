package io.github.hilos.sync;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.SwitchPoints;
import io.github.hilos.spi.Durations;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A reentrant mutual-exclusion lock for strands of any runtime, and for plain threads. Unlike
 * {@code synchronized} or {@link java.util.concurrent.locks.ReentrantLock}, waiting for it parks only the
 * strand, never a user-level carrier (docs/decisions.md, decision 3).
 *
 * <p>Two policies: <b>non-fair</b> (default) lets an arriving strand take a free lock ahead of the queued ones,
 * which keeps the lock busy and is fastest; <b>fair</b> hands the lock directly to the longest waiter, in FIFO
 * order, so no waiter starves. {@code tryLock()} barges in both, as in {@code ReentrantLock}.
 *
 * <p>Design: {@code owner} is the holding strand or null; acquired by CAS (volatile), released by a volatile
 * store. {@code holds} is written only by the owner. Waiters queue in {@code waiters} under {@code lock}.
 * Non-fair: the releaser clears {@code owner} then reads {@code waiting}; a waiter publishes {@code waiting}
 * then retries the CAS on {@code owner}: a Dekker pair on two volatiles, so a release never misses a waiter
 * that is about to park. The woken head retries the CAS and, if a barger won, parks again. Fair: release and
 * enqueue both run under {@code lock}; the releaser sets {@code owner} to the head waiter before claiming it,
 * so the woken waiter already owns the lock.
 */
public final class Mutex implements Lock {

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Mutex.class, "owner", Strand.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean fair;
    private final SpinLock lock = new SpinLock();
    private final WaitQueue waiters = new WaitQueue();
    /** The holder; CAS to acquire, volatile store to release or hand over. */
    @SuppressWarnings("unused")
    private volatile Strand owner;
    /** Reentrant holds; read and written by the owner only. */
    private int holds;
    /** Size of {@code waiters}; written under {@code lock}, read without it (volatile). */
    private volatile int waiting;

    /** Makes a non-fair mutex. */
    public Mutex() {
        this(false);
    }

    /**
     * Makes a mutex.
     *
     * @param fair {@code true} to hand the lock to waiters in FIFO order
     */
    public Mutex(boolean fair) {
        this.fair = fair;
    }

    @Override
    public void lock() {
        acquire(Long.MAX_VALUE, false);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Strand.interrupted()) {
            throw new InterruptedException("interrupted before locking");
        }
        if (acquire(Long.MAX_VALUE, true) == Waiter.INTERRUPTED) {
            throw new InterruptedException("interrupted while waiting for the lock");
        }
    }

    @Override
    public boolean tryLock() {
        Strand me = Strand.current();
        if (OWNER.getVolatile(this) == me) {
            reenter();
            return true;
        }
        if (OWNER.compareAndSet(this, null, me)) {
            holds = 1;
            return true;
        }
        return false;
    }

    private void reenter() {
        if (holds == Integer.MAX_VALUE) {
            throw new Error("maximum lock count exceeded: " + holds);
        }
        holds++;
    }

    /**
     * Waits at most {@code timeout} for the lock.
     *
     * @param timeout the longest wait; must not be negative
     * @return whether the lock was acquired
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return tryLockNanos(Durations.toNanos(timeout, "lock timeout"));
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLockNanos(Math.max(0, unit.toNanos(time)));
    }

    private boolean tryLockNanos(long nanos) throws InterruptedException {
        if (Strand.interrupted()) {
            throw new InterruptedException("interrupted before locking");
        }
        if (nanos == 0) { // like ReentrantLock: a timed tryLock honours the fairness setting, tryLock() does not
            return acquire(0, true) == Waiter.SERVED;
        }
        int outcome = acquire(nanos, true);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException("interrupted while waiting for the lock");
        }
        return outcome == Waiter.SERVED;
    }

    private int acquire(long nanos, boolean interruptible) {
        SwitchPoints.reached();
        Strand me = Strand.current();
        if (OWNER.getVolatile(this) == me) {
            reenter();
            return Waiter.SERVED;
        }
        if ((!fair || waiting == 0) && OWNER.compareAndSet(this, null, me)) {
            holds = 1;
            return Waiter.SERVED;
        }
        if (nanos == 0) {
            return Waiter.TIMED_OUT;
        }
        return fair ? acquireFair(me, nanos, interruptible) : acquireNonFair(me, nanos, interruptible);
    }

    private int acquireFair(Strand me, long nanos, boolean interruptible) {
        Waiter w = new Waiter(me);
        lock.lock();
        try {
            if (waiters.isEmpty() && OWNER.compareAndSet(this, null, me)) {
                holds = 1;
                return Waiter.SERVED;
            }
            waiters.add(w);
            waiting = waiters.size();
        } finally {
            lock.unlock();
        }
        int outcome = w.await(nanos, interruptible, this);
        if (outcome == Waiter.SERVED) {
            assert OWNER.getVolatile(this) == me;
            holds = 1;
        } else {
            unlinkWaiter(w);
        }
        return outcome;
    }

    private int acquireNonFair(Strand me, long nanos, boolean interruptible) {
        Waiter w = new Waiter(me);
        lock.lock();
        try {
            waiters.add(w);
            waiting = waiters.size();
        } finally {
            lock.unlock();
        }
        boolean timed = nanos != Long.MAX_VALUE;
        long deadline = timed ? Durations.deadline(nanos) : 0L;
        boolean keptInterrupt = false;
        int outcome;
        for (;;) {
            // Dekker with release(): waiting was published above, now read owner.
            if (OWNER.getVolatile(this) == null && OWNER.compareAndSet(this, null, me)) {
                holds = 1;
                outcome = Waiter.SERVED;
                break;
            }
            if (Strand.interrupted()) {
                if (interruptible) {
                    outcome = Waiter.INTERRUPTED;
                    break;
                }
                keptInterrupt = true;
            }
            if (timed) {
                long left = deadline - Strand.nanoTime();
                if (left <= 0) {
                    outcome = Waiter.TIMED_OUT;
                    break;
                }
                Strand.parkNanos(this, left);
            } else {
                Strand.park(this);
            }
        }
        Waiter next = unlinkWaiter(w);
        if (outcome != Waiter.SERVED && next != null && OWNER.getVolatile(this) == null) {
            next.strand.unpark(); // pass on a wake-up that may have been meant for us
        }
        if (keptInterrupt) {
            me.interrupt();
        }
        return outcome;
    }

    /** Unlinks a waiter that is done waiting; returns the new head waiter, or null. */
    private Waiter unlinkWaiter(Waiter w) {
        lock.lock();
        try {
            waiters.remove(w);
            waiting = waiters.size();
            return waiters.peekWaiting();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unlock() {
        Strand me = Strand.current();
        if (OWNER.getVolatile(this) != me) {
            throw new IllegalMonitorStateException("unlock by " + me + ", but the mutex is "
                    + (owner == null ? "not held" : "held by " + owner));
        }
        if (--holds > 0) {
            return;
        }
        release();
        SwitchPoints.reached();
    }

    /**
     * Returns the strand that holds this mutex, or null: a racy view, for diagnostics (a simulation's deadlock
     * report names the holder of each lock in the cycle).
     *
     * @return the owner, or null when unlocked
     */
    public Strand owner() {
        return owner;
    }

    /** Gives up ownership entirely; the caller is the owner and has already set {@code holds} to zero. */
    private void release() {
        if (fair) {
            lock.lock();
            try {
                for (;;) {
                    Waiter next = waiters.pollWaiting();
                    if (next == null) {
                        OWNER.setVolatile(this, null);
                        break;
                    }
                    OWNER.setVolatile(this, next.strand);
                    if (next.claimAndWake()) {
                        break;
                    }
                }
                waiting = waiters.size();
            } finally {
                lock.unlock();
            }
            return;
        }
        OWNER.setVolatile(this, null);
        if (waiting != 0) { // Dekker with acquireNonFair: owner was cleared above, now read waiting.
            Waiter next;
            lock.lock();
            try {
                next = waiters.peekWaiting();
            } finally {
                lock.unlock();
            }
            if (next != null) {
                next.strand.unpark();
            }
        }
    }

    /**
     * Tells whether some strand holds the lock.
     *
     * @return whether it is held
     */
    public boolean isLocked() {
        return OWNER.getVolatile(this) != null;
    }

    /**
     * Tells whether the calling strand holds the lock.
     *
     * @return whether the caller is the owner
     */
    public boolean isHeldByCurrentStrand() {
        return OWNER.getVolatile(this) == Strand.current();
    }

    /**
     * Returns how many times the calling strand holds the lock.
     *
     * @return the hold count, zero if it does not own the lock
     */
    public int getHoldCount() {
        return isHeldByCurrentStrand() ? holds : 0;
    }

    /**
     * Returns how many strands wait for the lock, as of a moment ago.
     *
     * @return an estimate of the queue length
     */
    public int queueLength() {
        return waiting;
    }

    /**
     * Tells whether this mutex hands the lock over in FIFO order.
     *
     * @return whether it is fair
     */
    public boolean isFair() {
        return fair;
    }

    @Override
    public Condition newCondition() {
        return new StrandCondition();
    }

    /**
     * Tells whether strands are waiting on a condition of this mutex, as {@code ReentrantLock.hasWaiters}.
     * The caller must hold the mutex.
     *
     * @param condition a condition made by this mutex
     * @return whether some strand waits on it (and has not timed out)
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     * @throws IllegalArgumentException if the condition belongs to another lock
     */
    public boolean hasWaiters(Condition condition) {
        if (!(condition instanceof StrandCondition c) || c.owner() != this) {
            throw new IllegalArgumentException("not a condition of this mutex: " + condition);
        }
        c.checkOwner();
        return c.conditionWaiters.peekWaiting() != null;
    }

    @Override
    public String toString() {
        Strand o = owner;
        return "Mutex[" + (o == null ? "unlocked" : "locked by " + o) + ", " + waiting + " waiting"
                + (fair ? ", fair]" : "]");
    }

    /**
     * A condition of this mutex. Its queue is guarded by the mutex itself: it is changed only by the owner
     * (await enqueues before releasing; signal dequeues; a waiter that gave up unlinks itself after it has
     * the lock again). Signal claims a waiter, so a signal is never lost on a waiter that already timed out.
     */
    private final class StrandCondition implements Condition {

        private final WaitQueue conditionWaiters = new WaitQueue();

        Mutex owner() {
            return Mutex.this;
        }

        @Override
        public void await() throws InterruptedException {
            if (awaitNanos0(Long.MAX_VALUE, true) == Waiter.INTERRUPTED) {
                throw new InterruptedException("interrupted while awaiting a condition");
            }
        }

        @Override
        public void awaitUninterruptibly() {
            awaitNanos0(Long.MAX_VALUE, false);
        }

        @Override
        public long awaitNanos(long nanosTimeout) throws InterruptedException {
            long nanos = Math.max(0, nanosTimeout);
            long deadline = Durations.deadline(nanos);
            int outcome = awaitNanos0(nanos, true);
            if (outcome == Waiter.INTERRUPTED) {
                throw new InterruptedException("interrupted while awaiting a condition");
            }
            long left = deadline - Strand.nanoTime();
            // Signalled, but reacquiring the lock took past the deadline: still report "signalled" (positive).
            return outcome == Waiter.SERVED ? Math.max(1, left) : Math.min(0, left);
        }

        @Override
        public boolean await(long time, TimeUnit unit) throws InterruptedException {
            return awaitNanos(unit.toNanos(time)) > 0;
        }

        @Override
        public boolean awaitUntil(Date deadline) throws InterruptedException {
            Objects.requireNonNull(deadline, "deadline");
            long millis;
            try {
                millis = Math.subtractExact(deadline.getTime(), System.currentTimeMillis());
            } catch (ArithmeticException overflow) {
                millis = deadline.getTime() < 0 ? 0 : Long.MAX_VALUE;
            }
            long nanos = millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis);
            return awaitNanos(nanos) > 0;
        }

        private int awaitNanos0(long nanos, boolean interruptible) {
            Strand me = Strand.current();
            if (OWNER.getVolatile(Mutex.this) != me) {
                throw new IllegalMonitorStateException("await by " + me + ", which does not hold the mutex");
            }
            if (interruptible && Strand.interrupted()) {
                return Waiter.INTERRUPTED;
            }
            Waiter w = new Waiter(me);
            conditionWaiters.add(w);
            int saved = holds;
            holds = 0;
            release();
            int outcome = nanos <= 0 ? (w.tryCancel() ? Waiter.TIMED_OUT : Waiter.SERVED) : w.await(nanos, interruptible, this);
            boolean interruptedMeanwhile = Strand.interrupted();
            acquire(Long.MAX_VALUE, false);
            holds = saved;
            conditionWaiters.remove(w);
            if (interruptedMeanwhile) {
                me.interrupt();
            }
            return outcome;
        }

        @Override
        public void signal() {
            checkOwner();
            for (Waiter w; (w = conditionWaiters.pollWaiting()) != null; ) {
                if (w.claimAndWake()) {
                    return;
                }
            }
        }

        @Override
        public void signalAll() {
            checkOwner();
            for (Waiter w; (w = conditionWaiters.pollWaiting()) != null; ) {
                w.claimAndWake();
            }
        }

        private void checkOwner() {
            if (OWNER.getVolatile(Mutex.this) != Strand.current()) {
                throw new IllegalMonitorStateException("signal by " + Strand.current()
                        + ", which does not hold the mutex");
            }
        }
    }
}
