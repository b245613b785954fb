package io.github.hilos.server;

import io.github.hilos.api.Strand;

import java.io.IOException;
import java.time.Duration;

/**
 * What an accept loop does when {@code accept} fails for a reason that may pass (out of file descriptors, most
 * often): wait, longer each time (10 ms doubling up to 1 s), and try again, forever, so that the server serves
 * again once the cause is gone. The first failure of a run is logged with its stack trace; while failures go on,
 * one line every 10 s says how many there were, instead of a stack trace per retry. A success ends the run.
 *
 * <p>Not thread-safe: one accept loop owns it.
 */
final class AcceptBackoff {

    private static final System.Logger LOG = System.getLogger("io.github.hilos.server");
    private static final long FIRST_MILLIS = 10;
    private static final long MAX_MILLIS = 1000;
    private static final long REPORT_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final String who;
    private long delayMillis;
    private long failures;
    private long lastReport;

    /**
     * @param who the loop, as the log names it ("service echo", "the server")
     */
    AcceptBackoff(String who) {
        this.who = who;
    }

    /**
     * Records a failure and returns how long to wait before the next accept.
     *
     * @param e the failure
     * @return the pause
     */
    Duration failed(IOException e) {
        failures++;
        delayMillis = delayMillis == 0 ? FIRST_MILLIS : Math.min(MAX_MILLIS, delayMillis * 2);
        long now = Strand.nanoTime();
        if (failures == 1) {
            LOG.log(System.Logger.Level.WARNING, who + ": accept failed; retrying with back-off up to "
                    + MAX_MILLIS + " ms", e);
            lastReport = now;
        } else if (now - lastReport >= REPORT_EVERY_NANOS) {
            LOG.log(System.Logger.Level.WARNING, who + ": accept still failing (" + failures
                    + " failures so far; last: " + e + "); retrying every " + delayMillis + " ms");
            lastReport = now;
        }
        return Duration.ofMillis(delayMillis);
    }

    /** An accept succeeded: the next failure starts a new run (logged in full, short pause). */
    void succeeded() {
        if (failures > 0) {
            LOG.log(System.Logger.Level.INFO, who + ": accepting again after " + failures + " failed accepts");
        }
        failures = 0;
        delayMillis = 0;
    }

    /** Failures in the current run; 0 after a success. */
    long failures() {
        return failures;
    }
}
