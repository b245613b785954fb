package io.github.hilos.spi;

import java.time.Duration;
import java.util.Objects;

/** Timeout arguments as every Hilos API checks them: never null, never negative, saturating at about 292 years. */
public final class Durations {

    private Durations() {
    }

    /**
     * Converts a timeout to nanoseconds.
     *
     * @param duration the timeout
     * @param what what it is, for the error message
     * @return the timeout in nanoseconds, {@link Long#MAX_VALUE} if it does not fit
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative; the message carries the bad value
     */
    public static long toNanos(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Returns {@code System.nanoTime() + nanos}, saturating instead of overflowing.
     *
     * @param nanos a non-negative timeout
     * @return the deadline on the {@link System#nanoTime()} clock
     */
    public static long deadline(long nanos) {
        // Capped so that deadline - Strand.nanoTime() never overflows for the life of the process.
        return io.github.hilos.api.Strand.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
    }
}
