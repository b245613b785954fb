package io.github.hilos.ult.seam;

import java.util.List;

/**
 * Where a runtime's unstarted strands go and where its carriers find them: one carrier (N:1, {@code ult}), or
 * work stealing over several with spare carriers (M:N, {@code hybrid-scheduler}). The runtime calls it; the
 * carriers call {@link #take}, {@link #hasWorkFor}, {@link #wakeAnother} and the spinning pair on their own
 * threads.
 *
 * <p>The idle protocol a placement must keep (no lost wake-up): a placer publishes the strand, then (full fence)
 * looks for a carrier to wake; a carrier that goes idle publishes that it is idle, then (full fence) asks
 * {@link #hasWorkFor} before it blocks.
 */
public interface Placement {

    /**
     * Receives the base carriers, made and not started yet; called once, before anything else.
     *
     * @param carriers the base carriers, by index
     */
    void attach(List<? extends CarrierView> carriers);

    /**
     * Places a new strand; any thread.
     *
     * @param strand the strand
     * @param caller the carrier of this runtime whose strand is calling, or null from any other thread
     */
    void place(Unstarted strand, CarrierView caller);

    /**
     * Returns an unstarted strand for {@code carrier} to adopt for life, or null; carrier thread only.
     *
     * @param carrier the carrier asking
     * @return the strand, or null
     */
    Unstarted take(CarrierView carrier);

    /**
     * Tells an about-to-block carrier whether work is waiting; called after it published that it is idle.
     *
     * @param carrier the carrier asking
     * @return whether it should look again instead of blocking
     */
    boolean hasWorkFor(CarrierView carrier);

    /**
     * A carrier that adopted work and saw more waiting asks for another idle carrier to be woken.
     *
     * @param finder the carrier that found work
     */
    void wakeAnother(CarrierView finder);

    /**
     * An idle carrier asks to spin (search for work) before it blocks.
     *
     * @return whether it may; then it calls {@link #stopSpinning()} when it stops
     */
    boolean tryStartSpinning();

    /** A carrier stopped spinning. */
    void stopSpinning();

    /**
     * Returns every carrier whose thread may be running: the base ones, then the spares in their slots.
     *
     * @return the carriers
     */
    List<CarrierView> carriers();

    /**
     * Returns how many unstarted strands wait in a carrier's own queue (an estimate).
     *
     * @param carrierIndex the carrier
     * @return the count
     */
    int queued(int carrierIndex);

    /**
     * Returns how many unstarted strands wait in the shared queue (an estimate).
     *
     * @return the count
     */
    int injected();

    /**
     * Tells how long a carrier may stay idle, with no strand bound to it and nothing queued, before it retires:
     * the compensation side owns that policy (spares retire, base carriers never do).
     *
     * @param carrier the carrier, asking once as it is made
     * @return the idle time after which it retires, in nanoseconds; 0 for never
     */
    long idleLimitNanos(CarrierView carrier);

    /** Starts the placement's own threads (the compensator), after the base carriers started. */
    void start();

    /**
     * Stops the placement's own threads and waits until they ended: from then on no spare carrier starts.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void stop() throws InterruptedException;

    /**
     * Returns how many spare carriers were started to compensate for stuck ones.
     *
     * @return the count
     */
    long compensations();
}
