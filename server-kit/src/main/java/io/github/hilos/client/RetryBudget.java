package io.github.hilos.client;

import io.github.hilos.api.Strand;

/**
 * Caps retries so that a failing service is not hit by a retry storm (Finagle's and gRPC's retry budget): over a
 * sliding window, retries may be at most {@code ratio} of the requests plus {@code minPerSecond} a second.
 * Thread-safe (synchronized: it is consulted once per request and per retry, not in a hot loop).
 */
public final class RetryBudget {

    /** The window is ten buckets of one second: fixed memory, whatever the request rate. */
    private static final int BUCKETS = 10;
    private static final long BUCKET_NANOS = 1_000_000_000L;

    private final double ratio;
    private final int minPerSecond;
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    /** The second (Strand.nanoTime() / 1 s) of the newest bucket. */
    private long newest = Strand.nanoTime() / BUCKET_NANOS;

    /**
     * Makes a budget over a 10-second window.
     *
     * @param ratio retries allowed per request, in [0, 1]
     * @param minPerSecond retries allowed a second whatever the traffic; not negative
     */
    public RetryBudget(double ratio, int minPerSecond) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio must be in [0, 1]: " + ratio);
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("minimum retries per second must not be negative: " + minPerSecond);
        }
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
    }

    /**
     * 20% of the requests plus 10 a second, as Finagle's default.
     *
     * @return the budget
     */
    public static RetryBudget defaults() {
        return new RetryBudget(0.2, 10);
    }

    /**
     * No retries at all.
     *
     * @return the budget
     */
    public static RetryBudget none() {
        return new RetryBudget(0, 0);
    }

    /** Records a request (its first attempt). */
    synchronized void onRequest() {
        requests[advance()]++;
    }

    /**
     * Takes a retry from the budget, if there is one.
     *
     * @return whether the retry may go
     */
    synchronized boolean tryRetry() {
        int now = advance();
        long requested = 0;
        long retried = 0;
        for (int i = 0; i < BUCKETS; i++) {
            requested += requests[i];
            retried += retries[i];
        }
        double allowed = ratio * requested + (double) minPerSecond * BUCKETS;
        if (retried + 1 > allowed) {
            return false;
        }
        retries[now]++;
        return true;
    }

    /** Empties the buckets that left the window and returns the index of the current second's bucket. */
    private int advance() {
        long second = Strand.nanoTime() / BUCKET_NANOS;
        long gone = Math.min(BUCKETS, second - newest);
        for (long s = newest + 1; gone > 0 && s <= newest + gone; s++) {
            int i = (int) Math.floorMod(s, (long) BUCKETS);
            requests[i] = 0;
            retries[i] = 0;
        }
        if (second > newest) {
            newest = second;
        }
        return (int) Math.floorMod(newest, (long) BUCKETS);
    }
}
