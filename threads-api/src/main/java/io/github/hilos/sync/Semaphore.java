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
 * <p>Design: {@code permits} changes by CAS (volatile). Waiters queue under {@code lock}; {@code waiting}
 * mirrors the queue size for lock-free reads. A release adds its permits, then reads {@code waiting}; an
 * acquirer that enqueues publishes {@code waiting} and then, under the lock, hands out what is available
 * ({@link #grantLocked()}): a Dekker pair on two volatiles, so no release is missed. Granted permits are
 * taken out of {@code permits} before the waiter is claimed, and given back if it gave up.
 */
public final class Semaphore {

    private static final VarHandle PERMITS;

    static {
        try {
            PERMITS = MethodHandles.lookup().findVarHandle(Semaphore.class, "permits", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SpinLock lock = new SpinLock();
    private final WaitQueue waiters = new WaitQueue();
    @SuppressWarnings("unused")
    private volatile int permits;
    private volatile int waiting;

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
        return waiting == 0 && tryTake(1);
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
        if (waiting == 0 && tryTake(n)) {
            return Waiter.SERVED;
        }
        if (nanos == 0) {
            return Waiter.TIMED_OUT;
        }
        Waiter w = new Waiter(Strand.current());
        w.permits = n;
        lock.lock();
        try {
            waiters.add(w);
            waiting = waiters.size();
            grantLocked();
        } finally {
            lock.unlock();
        }
        int outcome = w.await(nanos, true, this);
        if (outcome != Waiter.SERVED) {
            lock.lock();
            try {
                waiters.remove(w);
                waiting = waiters.size();
                grantLocked(); // our large request may have been holding others back
            } finally {
                lock.unlock();
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
        for (;;) {
            int seen = (int) PERMITS.getVolatile(this);
            if (seen + n < 0) {
                throw new IllegalStateException("permit count overflow: " + seen + " + " + n);
            }
            if (PERMITS.compareAndSet(this, seen, seen + n)) {
                break;
            }
        }
        if (waiting != 0) { // Dekker with acquireNanos: permits were added above, now read waiting.
            lock.lock();
            try {
                grantLocked();
            } finally {
                lock.unlock();
            }
        }
        SwitchPoints.reached();
    }

    /** Serves waiters from the head while the permits suffice. Called with {@code lock} held. */
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
        int size = waiters.size();
        if (waiting != size) { // a volatile write only when the size changed: it is on the signal-wait path
            waiting = size;
        }
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
        return waiting;
    }

    private static int checkCount(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("permit count must be positive: " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Semaphore[permits " + availablePermits() + ", " + waiting + " waiting]";
    }
}
