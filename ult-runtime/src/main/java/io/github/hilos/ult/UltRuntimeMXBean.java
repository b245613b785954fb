package io.github.hilos.ult;

/**
 * The counters of a {@code ult} runtime, as a platform MXBean. Counts are kept by the carrier without
 * synchronization and read as they are: a reading may lag by a few events.
 */
public interface UltRuntimeMXBean {

    /** @return strands spawned */
    long getSpawned();

    /** @return strand mounts (context switches into a strand) */
    long getSwitches();

    /** @return parks that suspended (or would have suspended) a strand */
    long getParks();

    /** @return parks that had to block the carrier because the continuation was pinned */
    long getPinnedParks();

    /** @return calls made through {@code Jacket.call} */
    long getJacketedCalls();

    /** @return times all jacket slots were busy and a caller had to wait */
    long getJacketExhaustions();

    /** @return polls of the carrier's selector that found ready sockets */
    long getPollerWakeups();

    /** @return times the idle carrier blocked in its selector */
    long getIdleBlocks();

    /** @return stalls reported by the watchdog */
    long getStalls();

    /** @return strands spawned and not yet ended */
    long getLiveStrands();

    /** @return carrier threads running now: the base ones and active spares */
    int getCarriers();

    /** @return spare carriers started to compensate for stuck ones */
    long getCompensations();

    /** @return successful steals of unstarted strands between carriers */
    long getSteals();

    /** @return strands each carrier started (and will run for life), by carrier index */
    long[] getStrandsStartedPerCarrier();

    /** @return runnable strands per carrier, bound ones plus unstarted ones in its own queue */
    int[] getRunQueueLengths();
}
