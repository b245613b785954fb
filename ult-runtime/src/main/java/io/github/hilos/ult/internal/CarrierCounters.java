package io.github.hilos.ult.internal;

/**
 * A carrier's event counts. Written by the carrier thread only, with plain increments (no cost on the hot path);
 * read by monitoring from other threads without synchronization, so a reading may be slightly stale (a
 * benign race: each field is a 64-bit counter that only grows, and HotSpot on 64-bit platforms does not tear
 * aligned longs).
 */
final class CarrierCounters {
    long spawned;
    long ended;
    long switches;
    long parks;
    long pollerWakeups;
    long idleBlocks;
    long pinnedParks;
    long jacketCalls;
    long policyFailures;
    long steals;
    long placedLocally;
}
