package io.github.hilos.ult.internal;

import io.github.hilos.ult.seam.Placement;

/**
 * An idle carrier's back-off, as named phases (as Agrona's {@code BackoffIdleStrategy} names its states), with one
 * transition method. A carrier with nothing to run spins a while (a wake-up from another carrier is then seen in
 * nanoseconds, without a selector wake-up), then yields its thread a few times, then blocks in its poller:
 * <pre>
 *   ACTIVE   -> SPINNING   the first idle round, if the placement lets it spin (at most half the carriers of an
 *                          M:N runtime spin at once)
 *   ACTIVE   -> YIELDING   the first idle round otherwise
 *   SPINNING -> YIELDING   after the spin time
 *   YIELDING -> BLOCKING   after the yields
 *   BLOCKING -> YIELDING   after a block that found nothing to run (no spinning again until work is found)
 *   any      -> ACTIVE     work found ({@link #reset()})
 * </pre>
 * Not thread-safe: its carrier's thread only.
 */
final class IdleBackoff {

    /** What an idle round does. */
    enum Phase {
        /** Not idle: work was found on the last round. */
        ACTIVE,
        /** {@code Thread.onSpinWait()}, counted among the placement's spinning carriers. */
        SPINNING,
        /** {@code Thread.yield()}. */
        YIELDING,
        /** Block in the poller until woken, a timer is due or a socket is ready. */
        BLOCKING
    }

    private final Placement placement;
    private final long spinNanos;
    private final int maxYields;
    private Phase phase = Phase.ACTIVE;
    private long idleSince = System.nanoTime();
    private int yields;

    IdleBackoff(Placement placement, long spinNanos, int maxYields) {
        this.placement = placement;
        this.spinNanos = spinNanos;
        this.maxYields = maxYields;
    }

    /**
     * Takes one idle round: moves to the next phase if it is time, and returns the phase to act on.
     *
     * @param now the carrier's clock
     * @return what to do this round
     */
    Phase idle(long now) {
        switch (phase) {
            case ACTIVE -> {
                idleSince = now;
                yields = 0;
                phase = spinNanos > 0 && placement.tryStartSpinning() ? Phase.SPINNING : Phase.YIELDING;
            }
            case SPINNING -> {
                if (now - idleSince >= spinNanos) {
                    placement.stopSpinning();
                    phase = Phase.YIELDING;
                }
            }
            case YIELDING, BLOCKING -> {
            }
        }
        if (phase == Phase.YIELDING) {
            if (yields >= maxYields) {
                phase = Phase.BLOCKING;
            } else {
                yields++;
            }
        }
        return phase;
    }

    /**
     * Tells whether the carrier has taken an idle round since it last found work.
     *
     * @return whether it is in any phase but ACTIVE
     */
    boolean isIdle() {
        return phase != Phase.ACTIVE;
    }

    /** The carrier blocked and woke with nothing to run yet: yield a few times before blocking again. */
    void blocked() {
        phase = Phase.YIELDING;
        yields = 0;
    }

    /** Work was found: back to ACTIVE, leaving the spinning carriers if it was one. */
    void reset() {
        if (phase == Phase.SPINNING) {
            placement.stopSpinning();
        }
        phase = Phase.ACTIVE;
    }

    /**
     * Returns when the carrier last went idle.
     *
     * @return the time, on the {@link System#nanoTime()} clock
     */
    long idleSince() {
        return idleSince;
    }
}
