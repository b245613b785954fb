package io.github.hilos.hybrid.internal;

import io.github.hilos.ult.seam.CarrierView;
import io.github.hilos.ult.seam.StallClock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Compensation for blocked carriers (scheduler activations in spirit): when a carrier stays stuck in one strand
 * (an un-jacketed blocking call, or a long computation) beyond the threshold, its unstarted strands are moved to
 * the injection queue, and if fewer than N carriers are then free to run strands, a spare carrier is started, up
 * to the budget of spares. A spare adopts only unstarted strands and retires after an idle period with nothing
 * bound to it. Strands already bound to the stuck carrier wait for it: they never move (docs/decisions.md, decision 2).
 *
 * <p>Runs on its own daemon thread and only reads the carriers' switch counts ({@link CarrierView#switches()}), so it costs the carriers
 * nothing.
 */
final class Compensator implements Runnable {


    private final WorkStealing stealing;
    private final int base;
    private final long thresholdNanos;
    private final IntFunction<CarrierView> makeSpare;
    private final Thread thread;
    private final AtomicLong compensations = new AtomicLong();
    private final StallClock[] clocks;
    private final boolean[] stuck;
    private volatile boolean stopped;

    Compensator(String name, WorkStealing stealing, int base, long thresholdNanos, IntFunction<CarrierView> makeSpare) {
        this.stealing = stealing;
        this.base = base;
        this.thresholdNanos = thresholdNanos;
        this.makeSpare = makeSpare;
        this.clocks = new StallClock[stealing.slots()];
        for (int i = 0; i < clocks.length; i++) {
            clocks[i] = new StallClock();
        }
        this.stuck = new boolean[stealing.slots()];
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        if (stealing.slots() > base && thresholdNanos > 0) {
            thread.start();
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /**
     * Waits until the compensator's thread ended, after {@link #stop()}: from then on no spare can start, so a
     * shutdown that stops the carriers after this sees every spare there will ever be.
     */
    void awaitStopped() throws InterruptedException {
        if (thread.isAlive()) {
            thread.join();
        }
    }

    long compensations() {
        return compensations.get();
    }

    @Override
    public void run() {
        long period = Math.max(1_000_000L, thresholdNanos / 2);
        while (!stopped) {
            LockSupport.parkNanos(this, period);
            if (stopped) {
                return;
            }
            try {
                round();
            } catch (Throwable failure) {
                // Out of memory (a spare's thread or selector could not be made, say): try again next round.
                try {
                    log(System.Logger.Level.ERROR, "the compensator recovered from a failure; it goes on", failure);
                } catch (Throwable evenThat) {
                    // the first call of a method may allocate (its link): with no heap at all, stay silent
                }
            }
        }
    }

    private void round() {
        int active = 0;
        int stuckNow = 0;
        long now = System.nanoTime();
        for (int slot = 0; slot < stealing.slots(); slot++) {
            CarrierView c = stealing.carrier(slot);
            if (c == null || c.isRetired()) {
                stuck[slot] = false;
                continue;
            }
            active++;
            long switches = c.switches();
            String mounted = c.mountedStrandName();
            boolean isStuck = clocks[slot].mountedFor(switches, now) > thresholdNanos && mounted != null;
            if (isStuck) {
                stuckNow++;
                if (!stuck[slot]) {
                    int moved = stealing.rescue(c);
                    log(System.Logger.Level.INFO, "carrier " + c.thread().getName() + " is stuck in strand " + mounted
                            + "; " + moved + " unstarted strands moved to other carriers", null);
                }
            }
            stuck[slot] = isStuck;
        }
        if (active - stuckNow < base && !stopped) {
            activateSpare();
        }
    }

    private void activateSpare() {
        for (int slot = base; slot < stealing.slots(); slot++) {
            CarrierView c = stealing.carrier(slot);
            if (c == null || c.isRetired() && !c.thread().isAlive()) {
                CarrierView spare = makeSpare.apply(slot);
                stealing.activate(spare);
                spare.start();
                compensations.incrementAndGet();
                log(System.Logger.Level.INFO, "started spare carrier " + spare.thread().getName()
                        + " to compensate for a stuck one", null);
                return;
            }
        }
    }

    /** Logs without throwing: under memory pressure the line is lost, not the compensator. */
    private static void log(System.Logger.Level level, String message, Throwable failure) {
        try {
            System.getLogger("io.github.hilos.hybrid").log(level, message, failure);
        } catch (Throwable dropped) {
            // nothing to report with
        }
    }
}
