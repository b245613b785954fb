package io.github.hilos.sync;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.SwitchPoints;
import io.github.hilos.spi.Durations;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A one-shot gate: strands wait until the count, set at construction, has been counted down to zero.
 *
 * <p>Design: {@code count} changes by CAS. Waiters queue under {@code lock} after re-checking the count there;
 * the count-down that reaches zero takes the lock and wakes the whole queue, so a waiter either saw zero or
 * is in the queue when the last count-down looks.
 */
public final class CountDownLatch {

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(CountDownLatch.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SpinLock lock = new SpinLock();
    private final WaitQueue waiters = new WaitQueue();
    @SuppressWarnings("unused")
    private volatile long count;

    /**
     * Makes a latch.
     *
     * @param count how many count-downs open it; must not be negative
     */
    public CountDownLatch(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("latch count must not be negative: " + count);
        }
        this.count = count;
    }

    /** Counts down by one; the count-down that reaches zero wakes every waiter. No effect at zero. */
    public void countDown() {
        SwitchPoints.reached();
        for (;;) {
            long seen = (long) COUNT.getVolatile(this);
            if (seen == 0) {
                return;
            }
            if (COUNT.compareAndSet(this, seen, seen - 1)) {
                if (seen == 1) {
                    lock.lock();
                    try {
                        for (Waiter w; (w = waiters.pollWaiting()) != null; ) {
                            w.claimAndWake();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                return;
            }
        }
    }

    /**
     * Waits until the count is zero.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void await() throws InterruptedException {
        if (awaitNanos(Long.MAX_VALUE) == Waiter.INTERRUPTED) {
            throw new InterruptedException("interrupted while awaiting a latch");
        }
    }

    /**
     * Waits at most {@code timeout} until the count is zero.
     *
     * @param timeout the longest wait; must not be negative
     * @return whether the count reached zero
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        int outcome = awaitNanos(Durations.toNanos(timeout, "latch timeout"));
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException("interrupted while awaiting a latch");
        }
        return outcome == Waiter.SERVED;
    }

    private int awaitNanos(long nanos) {
        if (Strand.interrupted()) {
            return Waiter.INTERRUPTED;
        }
        if (getCount() == 0) {
            return Waiter.SERVED;
        }
        if (nanos == 0) {
            return Waiter.TIMED_OUT;
        }
        Waiter w = new Waiter(Strand.current());
        lock.lock();
        try {
            if (getCount() == 0) {
                return Waiter.SERVED;
            }
            waiters.add(w);
        } finally {
            lock.unlock();
        }
        int outcome = w.await(nanos, true, this);
        if (outcome != Waiter.SERVED) {
            lock.lock();
            try {
                waiters.remove(w);
            } finally {
                lock.unlock();
            }
        }
        return outcome;
    }

    /**
     * Returns the current count.
     *
     * @return the count
     */
    public long getCount() {
        return (long) COUNT.getVolatile(this);
    }

    @Override
    public String toString() {
        return "CountDownLatch[count " + getCount() + "]";
    }
}
