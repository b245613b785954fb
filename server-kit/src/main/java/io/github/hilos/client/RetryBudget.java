package io.github.hilos.client;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Caps retries so that a failing service is not hit by a retry storm (Finagle's and gRPC's retry budget): over a
 * sliding window, retries may be at most {@code ratio} of the requests plus {@code minPerSecond} a second.
 * Thread-safe (synchronized: it is consulted once per request and per retry, not in a hot loop).
 */
public final class RetryBudget {

    private final double ratio;
    private final int minPerSecond;
    private final long windowNanos;
    private final ArrayDeque<Long> requests = new ArrayDeque<>();
    private final ArrayDeque<Long> retries = new ArrayDeque<>();

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
        this.windowNanos = Duration.ofSeconds(10).toNanos();
    }

    /** 20% of the requests plus 10 a second, as Finagle's default. */
    public static RetryBudget defaults() {
        return new RetryBudget(0.2, 10);
    }

    /** No retries at all. */
    public static RetryBudget none() {
        return new RetryBudget(0, 0);
    }

    /** Records a request (its first attempt). */
    synchronized void onRequest() {
        long now = System.nanoTime();
        expire(now);
        requests.addLast(now);
    }

    /**
     * Takes a retry from the budget, if there is one.
     *
     * @return whether the retry may go
     */
    synchronized boolean tryRetry() {
        long now = System.nanoTime();
        expire(now);
        double allowed = ratio * requests.size() + minPerSecond * (windowNanos / 1_000_000_000.0);
        if (retries.size() + 1 > allowed) {
            return false;
        }
        retries.addLast(now);
        return true;
    }

    private void expire(long now) {
        while (!requests.isEmpty() && now - requests.peekFirst() > windowNanos) {
            requests.pollFirst();
        }
        while (!retries.isEmpty() && now - retries.peekFirst() > windowNanos) {
            retries.pollFirst();
        }
    }
}
