package io.github.hilos.ult.internal;

import io.github.hilos.ult.StallReport;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

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

    private static final System.Logger LOG = System.getLogger("io.github.hilos.ult");
    private static final int KEPT_REPORTS = 100;

    private final Carrier carrier;
    private final long thresholdNanos;
    private final Thread thread;
    private final ArrayDeque<StallReport> reports = new ArrayDeque<>();
    private final AtomicLong reportCount = new AtomicLong();
    private volatile boolean stopped;

    Watchdog(Carrier carrier, Duration threshold) {
        this.carrier = carrier;
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

    @Override
    public void run() {
        long period = Math.max(Duration.ofMillis(10).toNanos(), thresholdNanos / 4);
        long reportedSwitch = -1;
        MountRecord.StallClock clock = new MountRecord.StallClock();
        while (!stopped) {
            LockSupport.parkNanos(this, period);
            MountRecord record = carrier.mountRecord;
            long switches = record.switches();
            UltStrand strand = record.strand();
            long stalled = clock.mountedFor(switches, System.nanoTime());
            if (strand == null || switches == reportedSwitch || record.switches() != switches) {
                continue;
            }
            if (stalled < thresholdNanos) {
                continue;
            }
            Thread carrierThread = carrier.thread();
            Thread.State state = carrierThread.getState();
            StackTraceElement[] stack = carrierThread.getStackTrace();
            if (record.switches() != switches || record.strand() != strand) {
                continue; // it moved on while we looked
            }
            reportedSwitch = switches;
            report(new StallReport(strand.name(), strand.id(), carrierThread.getName(), Duration.ofNanos(stalled),
                    state, List.copyOf(Arrays.asList(stack))));
        }
    }

    private void report(StallReport r) {
        reportCount.incrementAndGet();
        synchronized (reports) { // watchdog thread and readers only; never a carrier
            if (reports.size() == KEPT_REPORTS) {
                reports.removeFirst();
            }
            reports.addLast(r);
        }
        LOG.log(System.Logger.Level.WARNING, r::describe);
        CarrierStallEvent event = new CarrierStallEvent();
        if (event.isEnabled()) {
            event.strand = r.strandName();
            event.carrier = r.carrierName();
            event.stalledMillis = r.stalledFor().toMillis();
            event.carrierState = r.carrierState().name();
            event.commit();
        }
    }

    List<StallReport> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    long reportCount() {
        return reportCount.get();
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
    }
}
