package io.github.hilos.ult.internal;

/**
 * Where the carriers of an M:N runtime get strands that have not started yet: their own queue, a shared
 * injection queue, and other carriers' queues (stealing). Called by carriers on their own threads.
 */
interface WorkSource {

    /**
     * Returns an unstarted strand for {@code carrier} to adopt for life, or null.
     *
     * @param carrier the carrier asking, on its own thread
     * @return the strand, or null if there is no work anywhere
     */
    UltStrand take(Carrier carrier);

    /**
     * Tells an about-to-block carrier whether work is waiting; called after it published that it is idle.
     *
     * @param carrier the carrier asking
     * @return whether it should look again instead of blocking
     */
    boolean hasWorkFor(Carrier carrier);

    /**
     * A carrier that just adopted work and saw more waiting asks for another idle carrier to be woken.
     *
     * @param finder the carrier that found work, which is not woken
     */
    void wakeAnother(Carrier finder);

    /**
     * An idle carrier asks to spin (search) for work before it blocks; refused when enough carriers spin already.
     *
     * @return whether it may spin (then it calls {@link #stopSpinning()} when it stops)
     */
    boolean tryStartSpinning();

    /** A carrier stopped spinning: it found work, or goes on to yield and block. */
    void stopSpinning();
}
