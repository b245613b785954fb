package io.github.hilos.ult.seam;

/**
 * A carrier (one kernel thread, the chapter's light-weight process) as a {@link Placement} sees it. Implemented by
 * {@code ult-runtime}'s carrier; every method may be called from any thread unless it says otherwise.
 */
public interface CarrierView {

    /**
     * Returns the carrier's slot: 0..N-1 for the base carriers, N and up for spares.
     *
     * @return the index
     */
    int index();

    /**
     * Returns the carrier's thread.
     *
     * @return the thread
     */
    Thread thread();

    /** Starts the carrier's thread. */
    void start();

    /**
     * Tells whether this carrier (a spare) retired: its thread ends or has ended.
     *
     * @return whether it retired
     */
    boolean isRetired();

    /**
     * Claims this idle carrier's wake-up for one placement (its idle state goes from "idle" to "notified" by CAS):
     * a second placement then picks another carrier instead of waking this one again.
     *
     * @return whether the caller won and should {@link #wake()} it
     */
    boolean tryNotify();

    /** Wakes the carrier if it is blocked in its poller. */
    void wake();

    /**
     * Returns how many strands this carrier has mounted so far (release-stored at each switch).
     *
     * @return the switch count
     */
    long switches();

    /**
     * Returns the name of the strand mounted now, or null.
     *
     * @return the name, or null when no strand runs
     */
    String mountedStrandName();

    /**
     * Returns what the placement keeps on this carrier for its owner-only use (a work-stealing queue's local end),
     * or null. Carrier thread only.
     *
     * @return the carrier's local placement state
     */
    Object localWork();

    /**
     * Hands this carrier its local placement state, before its thread starts.
     *
     * @param local the state, owned by this carrier from now on
     */
    void localWork(Object local);

    /** Counts a strand this carrier stole from another's queue; carrier thread only. */
    void countSteal();

    /** Counts a strand placed on this carrier's own queue by a strand of it; carrier thread only. */
    void countPlacedLocally();
}
