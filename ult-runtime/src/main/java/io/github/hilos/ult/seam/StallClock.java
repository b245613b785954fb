package io.github.hilos.ult.seam;

/**
 * Tells a sampler (a watchdog, the compensator) how long a carrier's current mount has lasted: since the sampler
 * first saw its switch count ({@link CarrierView#switches()}). The carrier pays only a release store per switch,
 * no clock read; a stall is seen within one sampling period of its threshold. Not thread-safe: one sampler owns it.
 */
public final class StallClock {

    private long lastSwitches = -1;
    private long firstSeen;

    /** A clock that has seen nothing yet. */
    public StallClock() {
    }

    /**
     * Takes a sample.
     *
     * @param switches the switch count read now
     * @param now the sampler's clock
     * @return how long this mount has been seen, 0 on a new one
     */
    public long mountedFor(long switches, long now) {
        if (switches != lastSwitches) {
            lastSwitches = switches;
            firstSeen = now;
            return 0;
        }
        return now - firstSeen;
    }
}
