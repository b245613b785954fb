package io.github.hilos.sync;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.SwitchPoints;
import io.github.hilos.spi.Durations;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A counting semaphore for strands of any runtime and plain threads. Waiters are served in FIFO order: a
 * release hands permits to the longest waiter first, and a waiter asking for many permits holds back those
 * behind it (no starvation of large requests). An arriving strand takes free permits directly only when
 * nobody waits.
 *
 * <p>Design: {@code permits} changes by CAS (volatile). Waiters queue under a spin lock that shares one volatile
 * word with the number of queued waiters ({@code sync}: bit 0 the lock, the rest the count), so that one CAS both
 * takes the lock and counts a new waiter, and the unlock (a release store) publishes the count left. A release
 * with no waiter adds its permits, then reads the count; an acquirer that queues counts itself in the CAS that
 * locks and then reads the permits under the lock ({@link #grantLocked()}): a Dekker pair on two volatiles, so no
 * release is missed. A release that sees waiters hands its permits to them directly under the lock (claiming the
 * head waiter), without passing them through {@code permits}; what they do not need is added to it. Permits
 * granted from {@code permits} are taken out before the waiter is claimed, and given back if it gave up.
 */
public final class Semaphore {

    private static final VarHandle PERMITS;

    static {
        try {
            PERMITS = MethodHandles.lookup().findVarHandle(Semaphore.class, "permits", int.class);
            SYNC = MethodHandles.lookup().findVarHandle(Semaphore.class, "sync", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final VarHandle SYNC;
    private static final int LOCKED = 1;
    private static final int ONE_WAITER = 2;

    private final WaitQueue waiters = new WaitQueue();
    @SuppressWarnings("unused")
    private volatile int permits;
    /**
     * Bit 0: the queue's lock; bits 1-31: how many waiters are queued (or about to be, under the lock), those that
     * gave up but are not unlinked yet included: never below the truth, so a release never skips a waiter.
     */
    @SuppressWarnings("unused")
    private volatile int sync;

    /**
     * Makes a semaphore.
     *
     * @param permits the initial number of permits; must not be negative
     */
    public Semaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("initial permits must not be negative: " + permits);
        }
        this.permits = permits;
    }

    /**
     * Takes one permit, waiting for it if none is available.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Takes {@code n} permits at once, waiting until they are available.
     *
     * @param n how many; positive
     * @throws InterruptedException if interrupted while waiting (no permit is taken then)
     */
    public void acquire(int n) throws InterruptedException {
        if (acquireNanos(checkCount(n), Long.MAX_VALUE) != Waiter.SERVED) {
            throw new InterruptedException("interrupted while acquiring " + n + " permit(s)");
        }
    }

    /**
     * Takes one permit if one is available now.
     *
     * @return whether a permit was taken
     */
    public boolean tryAcquire() {
        return waiting() == 0 && tryTake(1);
    }

    /**
     * Takes one permit, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait; must not be negative
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    /**
     * Takes {@code n} permits, waiting at most {@code timeout}.
     *
     * @param n how many; positive
     * @param timeout the longest wait; must not be negative
     * @return whether the permits were taken
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryAcquire(int n, Duration timeout) throws InterruptedException {
        checkCount(n);
        long nanos = Durations.toNanos(timeout, "acquire timeout");
        int outcome = acquireNanos(n, nanos);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException("interrupted while acquiring " + n + " permit(s)");
        }
        return outcome == Waiter.SERVED;
    }

    private int acquireNanos(int n, long nanos) {
        SwitchPoints.reached();
        if (Strand.interrupted()) {
            return Waiter.INTERRUPTED;
        }
        if (waiting() == 0 && tryTake(n)) {
            return Waiter.SERVED;
        }
        if (nanos == 0) {
            return Waiter.TIMED_OUT;
        }
        Waiter w = new Waiter(Strand.current());
        w.permits = n;
        lock(ONE_WAITER); // counted before the permits are read below: the Dekker pair with release
        try {
            waiters.add(w);
            grantLocked();
        } finally {
            unlock();
        }
        int outcome = w.await(nanos, true, this);
        if (outcome != Waiter.SERVED) {
            lock(0);
            try {
                waiters.remove(w);
                grantLocked(); // our large request may have been holding others back
            } finally {
                unlock();
            }
        }
        return outcome;
    }

    /** Releases one permit. */
    public void release() {
        release(1);
    }

    /**
     * Releases {@code n} permits.
     *
     * @param n how many; positive
     * @throws IllegalStateException if the permit count would overflow
     */
    public void release(int n) {
        checkCount(n);
        if (waiting() != 0) {
            // Waiters: hand the permits over under the lock, without passing them through the permit count.
            lock(0);
            try {
                // Checked before any hand-off, so that a refused release has no effect.
                checkNoOverflow((int) PERMITS.getVolatile(this), n);
                handOffLocked(n);
            } finally {
                unlock();
            }
        } else {
            addPermits(n);
            if (waiting() != 0) { // Dekker with acquireNanos: permits were added above, now read the count.
                lock(0);
                try {
                    grantLocked();
                } finally {
                    unlock();
                }
            }
        }
        SwitchPoints.reached();
    }

    private void addPermits(int n) {
        for (;;) {
            int seen = (int) PERMITS.getVolatile(this);
            checkNoOverflow(seen, n);
            if (PERMITS.compareAndSet(this, seen, seen + n)) {
                return;
            }
        }
    }

    private static void checkNoOverflow(int seen, int n) {
        if (seen + n < 0) {
            throw new IllegalStateException("permit count overflow: " + seen + " + " + n);
        }
    }

    /**
     * Gives {@code n} released permits to the waiters from the head, in order, while they suffice; what is left
     * goes to the permit count (and to waiters it now satisfies). Called with the lock held.
     */
    private void handOffLocked(int n) {
        int left = n;
        if ((int) PERMITS.getVolatile(this) == 0) { // with free permits, the head is served from them, in order
            for (Waiter head; left > 0 && (head = waiters.peekWaiting()) != null && head.permits <= left; ) {
                waiters.remove(head);
                if (head.claimAndWake()) {
                    left -= head.permits;
                }
            }
        }
        if (left > 0) {
            addPermits(left);
            grantLocked();
        }
    }

    /** Serves waiters from the head while the permits suffice. Called with the lock held. */
    private void grantLocked() {
        for (Waiter head; (head = waiters.peekWaiting()) != null; ) {
            if (!tryTake(head.permits)) {
                break;
            }
            waiters.remove(head);
            if (!head.claimAndWake()) {
                PERMITS.getAndAdd(this, head.permits); // it gave up meanwhile: give its permits back
            }
        }
    }

    /** Takes the lock, adding {@code countDelta} to the waiter count in the same CAS. */
    private void lock(int countDelta) {
        for (int spins = 0; ; spins++) {
            int s = (int) SYNC.getVolatile(this);
            if ((s & LOCKED) == 0 && SYNC.compareAndSet(this, s, (s | LOCKED) + countDelta)) {
                return;
            }
            SpinLock.backOff(spins);
        }
    }

    /** Releases the lock, publishing the number of waiters still queued (a release store: only its holder writes). */
    private void unlock() {
        assert ((int) SYNC.getOpaque(this) & LOCKED) != 0 : "unlock of a free lock";
        SYNC.setRelease(this, waiters.size() * ONE_WAITER);
    }

    /** How many strands wait (or are about to), as of now. */
    private int waiting() {
        return (int) SYNC.getVolatile(this) >>> 1;
    }

    private boolean tryTake(int n) {
        for (;;) {
            int seen = (int) PERMITS.getVolatile(this);
            if (seen < n) {
                return false;
            }
            if (PERMITS.compareAndSet(this, seen, seen - n)) {
                return true;
            }
        }
    }

    /**
     * Returns the permits available now.
     *
     * @return the count
     */
    public int availablePermits() {
        return (int) PERMITS.getVolatile(this);
    }

    /**
     * Returns how many strands wait, as of a moment ago.
     *
     * @return an estimate of the queue length
     */
    public int queueLength() {
        return waiting();
    }

    private static int checkCount(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("permit count must be positive: " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Semaphore[permits " + availablePermits() + ", " + waiting() + " waiting]";
    }
}
