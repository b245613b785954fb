package io.github.hilos.ult.internal;

import io.github.hilos.ult.StallReport;
import io.github.hilos.ult.seam.StallClock;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices a carrier stalled by its mounted strand: the same strand mounted, with no switch, for longer than the
 * threshold. That is a blocking call that is not jacketed ({@code Thread.sleep}, a JDK lock, a contended
 * monitor, plain socket or file I/O) or a strand that computes without yielding. Each stall is reported once
 * per mount: through {@link System.Logger} ({@code io.github.hilos.ult}, WARNING), as a JFR event
 * {@code io.github.hilos.CarrierStall}, and in {@link #reports()}.
 *
 * <p>A threshold of zero disables it. It samples the carrier's {@link MountRecord} from its own daemon thread every quarter threshold (at least
 * every 10 ms), so it costs the carrier nothing but the release stores at each switch.
 */
final class Watchdog implements Runnable {

    static {
        // Initialize the JFR event class with the first watchdog, not at the first stall: its initialization
        // registers it with the flight recorder and allocates, and a stall under a full heap failed it for good
        // (every later report then threw NoClassDefFoundError).
        new CarrierStallEvent();
    }

    private final Carrier carrier;
    private final long thresholdNanos;
    private final Thread thread;
    private final StallLog log;
    private volatile boolean stopped;

    Watchdog(Carrier carrier, Duration threshold, StallLog log) {
        this.carrier = carrier;
        this.log = log;
        this.thresholdNanos = threshold.toNanos(); // zero: disabled
        this.thread = new Thread(this, carrier.thread().getName() + "-watchdog");
        this.thread.setDaemon(true);
    }

    void start() {
        if (thresholdNanos > 0) {
            thread.start();
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** Whether this watchdog's thread has run and ended (its spare carrier retired, or it was stopped). */
    boolean isFinished() {
        return thread.getState() == Thread.State.TERMINATED;
    }

    /** Waits until the watchdog's thread ended (after {@link #stop()}); at once if it never started. */
    void awaitStopped() throws InterruptedException {
        if (thread.isAlive()) {
            thread.join();
        }
    }

    @Override
    public void run() {
        long period = Math.max(Duration.ofMillis(10).toNanos(), thresholdNanos / 4);
        long reportedSwitch = -1;
        StallClock clock = new StallClock();
        // A spare carrier's watchdog ends with its carrier.
        while (!stopped && !carrier.isRetired()) {
            LockSupport.parkNanos(this, period);
            try {
                reportedSwitch = sample(clock, reportedSwitch);
            } catch (Throwable failure) {
                // Out of memory while sampling, say: skip this round, keep watching.
                try {
                    Log.recovered("watchdog", thread, failure);
                } catch (Throwable evenThat) {
                    // the first call of a method may allocate (its link): with no heap at all, stay silent
                }
            }
        }
    }

    /** One look at the carrier; returns the switch count of the last reported stall. */
    private long sample(StallClock clock, long reportedSwitch) {
        MountRecord record = carrier.mountRecord;
        long switches = record.switches();
        UltStrand strand = record.strand();
        long stalled = clock.mountedFor(switches, System.nanoTime());
        if (strand == null || switches == reportedSwitch || record.switches() != switches
                || stalled < thresholdNanos) {
            return reportedSwitch;
        }
        Thread carrierThread = carrier.thread();
        Thread.State state = carrierThread.getState();
        StackTraceElement[] stack = carrierThread.getStackTrace();
        String blockedOn = state == Thread.State.BLOCKED || state == Thread.State.WAITING
                || state == Thread.State.TIMED_WAITING ? lockOf(carrierThread, state, stack) : null;
        if (record.switches() != switches || record.strand() != strand) {
            return reportedSwitch; // it moved on while we looked
        }
        report(new StallReport(strand.name(), strand.id(), carrierThread.getName(), Duration.ofNanos(stalled),
                state, List.copyOf(Arrays.asList(stack)), blockedOn));
        return switches;
    }

    /** The lock the thread waits for and who holds it, from the JVM's thread info; null if none. */
    private static String lockOf(Thread t, Thread.State state, StackTraceElement[] stack) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.threadId());
        if (info == null || info.getLockName() == null) {
            // The JVM names no lock when a monitor's owner is a suspended continuation: this very carrier, through
            // a strand that parked or yielded inside synchronized. Say where the monitor was wanted.
            return state == Thread.State.BLOCKED && stack.length > 0
                    ? "a monitor entered at " + stack[0] + ", whose owner the JVM does not name (most likely this"
                    + " carrier itself: a strand of it suspended inside synchronized)"
                    : null;
        }
        String owner = info.getLockOwnerName();
        return info.getLockName() + (owner == null ? "" : " held by thread " + owner
                + (owner.equals(t.getName()) ? " itself" : ""));
    }

    private void report(StallReport r) {
        log.add(r);
        Log.warning(r::describe, null);
        CarrierStallEvent event = new CarrierStallEvent();
        if (event.isEnabled()) {
            event.strand = r.strandName();
            event.carrier = r.carrierName();
            event.stalledMillis = r.stalledFor().toMillis();
            event.carrierState = r.carrierState().name();
            event.blockedOn = r.blockedOn();
            event.commit();
        }
    }

    /** The stall reports of a runtime's watchdogs (base and spare carriers): the last 100, and a count. */
    static final class StallLog {
        private static final int KEPT_REPORTS = 100;
        private final ArrayDeque<StallReport> reports = new ArrayDeque<>();
        private final AtomicLong count = new AtomicLong();

        void add(StallReport r) {
            count.incrementAndGet();
            synchronized (reports) { // watchdog threads and readers only; never a carrier
                if (reports.size() == KEPT_REPORTS) {
                    reports.removeFirst();
                }
                reports.addLast(r);
            }
        }

        List<StallReport> reports() {
            synchronized (reports) {
                return List.copyOf(reports);
            }
        }

        long count() {
            return count.get();
        }
    }

    /** JFR event for a stalled carrier. */
    @Name("io.github.hilos.CarrierStall")
    @Label("Carrier Stall")
    @Category({"Hilos", "ult"})
    @Description("A user-level strand kept its carrier thread longer than the watchdog threshold")
    static final class CarrierStallEvent extends Event {
        @Label("Strand")
        String strand;
        @Label("Carrier")
        String carrier;
        @Label("Stalled (ms)")
        long stalledMillis;
        @Label("Carrier State")
        String carrierState;
        @Label("Blocked On")
        String blockedOn;
    }
}
