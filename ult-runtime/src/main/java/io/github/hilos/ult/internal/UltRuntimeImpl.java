package io.github.hilos.ult.internal;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;
import io.github.hilos.spi.AbstractStrandRuntime;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.ult.SchedulingPolicies;
import io.github.hilos.ult.SchedulingPolicy;
import io.github.hilos.ult.StallReport;
import io.github.hilos.ult.UltRuntime;
import io.github.hilos.ult.UltRuntimeMXBean;
import io.github.hilos.ult.internal.cont.ContinuationAccess;
import io.github.hilos.ult.seam.CarrierView;
import io.github.hilos.ult.seam.Placement;
import io.github.hilos.ult.seam.PlacementContext;
import io.github.hilos.ult.seam.PlacementFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The {@code ult} and {@code hybrid} runtimes: one {@link Carrier} (N:1) or several whose unstarted strands a
 * {@link Placement} from hybrid-scheduler balances (M:N), a {@link JacketPool}, a {@link Watchdog} per carrier, and
 * the live-strand accounting of
 * {@link AbstractStrandRuntime}. Public only so that {@code io.github.hilos.ult.UltRuntimes} can make it; the
 * package is not exported.
 */
public final class UltRuntimeImpl extends AbstractStrandRuntime implements UltRuntime {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Carrier[] carriers;
    /** Where unstarted strands go: the one carrier (N:1), or a placement of hybrid-scheduler's (M:N). */
    private final Placement placement;
    private final boolean multiCarrier;
    private final JacketPool jackets;
    /** The watchdogs of the base carriers and of the active spares (a retired spare's leaves the list). */
    private final List<Watchdog> watchdogs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Watchdog.StallLog stallLog = new Watchdog.StallLog();
    private final Duration watchdogThreshold;
    private final AtomicLong ids = new AtomicLong();
    private final ObjectName mxBeanName;
    private final Metrics metrics = new Metrics();
    /** The monitor checking mode ({@link MonitorCheck}): setting {@code check.monitors}, else the property. */
    final boolean checkMonitors;

    /**
     * Opens a runtime.
     *
     * @param name the runtime name
     * @param options the options; settings as listed in {@link io.github.hilos.ult.UltRuntimes#SETTINGS}
     * @param policy the scheduling policy of a single carrier, or null to make one per carrier from the
     *     {@code policy} setting (default fifo)
     * @param defaultCarriers how many carriers when the {@code carriers} setting is absent
     * @param placementFactory the placement of an M:N runtime, or null for N:1 (one carrier, no spares)
     */
    public UltRuntimeImpl(String name, RuntimeOptions options, SchedulingPolicy policy, int defaultCarriers,
                          PlacementFactory placementFactory) {
        super(name, options);
        if (!ContinuationAccess.isAvailable()) {
            throw new IllegalStateException("runtime '" + name + "' needs JDK continuations: start the JVM with "
                    + ContinuationAccess.requiredFlag() + " (see docs/ult-runtime.md)");
        }
        this.multiCarrier = placementFactory != null;
        Settings s = new Settings(options);
        int carrierCount = s.positive("carriers", defaultCarriers);
        String policySpec = s.text("policy", "fifo");
        SchedulingPolicies.parse(policySpec); // refuse a bad name before any thread starts
        long idleSpinNanos = Duration.ofNanos(1000L * s.number("idle.spin.us", 50)).toNanos();
        int idleYields = s.number("idle.yields", 10);
        int jacketThreads = s.positive("jacket.threads", 16);
        int jacketQueue = s.number("jacket.queue", 1024);
        int watchdogMillis = s.number("watchdog.threshold.ms", 1000);
        this.checkMonitors = s.flag("check.monitors", MonitorCheck.DEFAULT);
        if (!multiCarrier) {
            for (String key : List.of("compensation.threshold.ms", "compensation.keepalive.ms")) {
                if (options.settings().containsKey(key)) {
                    throw new IllegalArgumentException("runtime '" + name + "' has no spare carriers to compensate"
                            + " with (N:1): setting '" + key + "' applies to runtime 'hybrid'");
                }
            }
            int spares = s.number("compensation.spares", 0);
            if (carrierCount != 1 || spares != 0) {
                throw new IllegalArgumentException("runtime '" + name + "' runs strands on one carrier (N:1); carriers="
                        + carrierCount + ", compensation.spares=" + spares + " need runtime 'hybrid'");
            }
        }
        if (policy != null && carrierCount > 1) {
            throw new IllegalArgumentException("a policy object serves one carrier, but " + carrierCount
                    + " carriers were asked for; use the 'policy' setting to give each carrier its own");
        }
        int instance = INSTANCES.incrementAndGet();
        String prefix = "hilos-" + name + "-" + instance;
        this.jackets = new JacketPool(name + "-" + instance, jacketThreads, jacketQueue);
        this.watchdogThreshold = Duration.ofMillis(watchdogMillis);
        this.placement = multiCarrier ? placementFactory.create(new Context(options, carrierCount, prefix, policySpec,
                idleSpinNanos, idleYields)) : new SingleCarrier();
        this.carriers = new Carrier[carrierCount];
        for (int i = 0; i < carrierCount; i++) {
            SchedulingPolicy p = policy != null ? policy : SchedulingPolicies.parse(policySpec);
            carriers[i] = new Carrier(new CarrierConfig(this, i, prefix + "-carrier-" + i, p, idleSpinNanos, idleYields,
                    placement));
            watchdogs.add(new Watchdog(carriers[i], watchdogThreshold, stallLog));
        }
        placement.attach(List.of(carriers));
        this.mxBeanName = register(name + "-" + instance);
        for (int i = 0; i < carrierCount; i++) {
            carriers[i].start();
        }
        for (Watchdog w : watchdogs) {
            w.start();
        }
        placement.start();
    }

    /** What this runtime offers its placement: its settings, and spare carriers with their watchdogs. */
    private final class Context implements PlacementContext {
        private final RuntimeOptions options;
        private final int base;
        private final String prefix;
        private final String policySpec;
        private final long idleSpinNanos;
        private final int idleYields;

        Context(RuntimeOptions options, int base, String prefix, String policySpec, long idleSpinNanos, int idleYields) {
            this.options = options;
            this.base = base;
            this.prefix = prefix;
            this.policySpec = policySpec;
            this.idleSpinNanos = idleSpinNanos;
            this.idleYields = idleYields;
        }

        @Override
        public java.util.Map<String, String> settings() {
            return options.settings();
        }

        @Override
        public int baseCarriers() {
            return base;
        }

        @Override
        public String threadNamePrefix() {
            return prefix;
        }

        @Override
        public CarrierView newSpare(int slot) {
            return spare(new Carrier(new CarrierConfig(UltRuntimeImpl.this, slot, prefix + "-spare-" + slot,
                    SchedulingPolicies.parse(policySpec), idleSpinNanos, idleYields, placement)));
        }
    }

    /** A spare carrier gets a watchdog of its own, which ends when the spare retires. */
    private Carrier spare(Carrier spare) {
        watchdogs.removeIf(Watchdog::isFinished);
        Watchdog w = new Watchdog(spare, watchdogThreshold, stallLog);
        watchdogs.add(w);
        w.start();
        return spare;
    }

    /** Every carrier now running: the base ones and active spares. */
    private List<Carrier> activeCarriers() {
        List<Carrier> active = new ArrayList<>();
        for (CarrierView c : placement.carriers()) {
            if (!c.isRetired()) {
                active.add((Carrier) c);
            }
        }
        return active;
    }

    private ObjectName register(String beanName) {
        try {
            ObjectName objectName = new ObjectName("io.github.hilos:type=UltRuntime,name=" + beanName);
            ManagementFactory.getPlatformMBeanServer().registerMBean(metrics, objectName);
            return objectName;
        } catch (JMException | SecurityException e) {
            System.getLogger("io.github.hilos.ult").log(System.Logger.Level.WARNING,
                    "could not register the MXBean of runtime " + beanName, e);
            return null;
        }
    }

    @Override
    protected Strand start(String strandName, Runnable body) {
        return startOn(-1, strandName, SchedulingPolicies.DEFAULT_PRIORITY, body);
    }

    /** Starts a strand on carrier {@code carrierIndex}, or (-1) wherever placement puts it. */
    private Strand startOn(int carrierIndex, String strandName, int priority, Runnable body) {
        Carrier here = Carrier.ofCurrentThread();
        if (here != null && here.runtime != this) {
            here = null;
        }
        UltStrand strand = new UltStrand(null, here != null ? here.nextStrandId() : ids.incrementAndGet(), strandName,
                priority, body);
        if (carrierIndex >= 0) {
            carriers[carrierIndex].submitSpawned(strand); // bound now: never stolen
        } else {
            placement.place(strand, here);
        }
        return strand;
    }

    /**
     * Reserves a block of strand ids for a carrier: strands spawned on a carrier take their ids from its block, so
     * that carriers spawning at once do not all change one counter (a cache miss per spawn on an M:N runtime).
     * Ids stay unique; across carriers they no longer follow the order of the spawns.
     *
     * @param count how many ids
     * @return the first of them
     */
    long reserveStrandIds(int count) {
        return ids.getAndAdd(count) + 1;
    }

    /** Starts a strand bound to {@code carrier}, a base carrier or an active spare (the dump of each). */
    private Strand startOnCarrier(Carrier carrier, String strandName, Runnable body) {
        UltStrand strand = new UltStrand(null, ids.incrementAndGet(), strandName, SchedulingPolicies.DEFAULT_PRIORITY,
                body);
        carrier.submitSpawned(strand);
        return strand;
    }

    @Override
    public Strand spawn(String name, int priority, Runnable task) {
        return spawnWith(name, task, body -> startOn(-1, name, priority, body));
    }

    @Override
    public Strand spawnOn(int carrier, String name, Runnable task) {
        if (carrier < 0 || carrier >= carriers.length) {
            throw new IllegalArgumentException("carrier index out of range: " + carrier + " (this runtime has "
                    + carriers.length + " carriers)");
        }
        return spawnWith(name, task, body -> startOn(carrier, name, SchedulingPolicies.DEFAULT_PRIORITY, body));
    }

    @Override
    public int carriers() {
        return carriers.length;
    }

    @Override
    public int carrierOf(Strand strand) {
        if (strand instanceof UltStrand s && s.carrier != null && s.carrier.runtime == this) {
            return s.carrier.index;
        }
        return -1;
    }

    void onStrandEnded() {
        strandEnded();
    }

    @Override
    protected boolean isOwnStrand() {
        return Strand.current() instanceof UltStrand s && s.carrier != null && s.carrier.runtime == this;
    }

    /**
     * Stops the runtime's threads, after every strand ended (so no strand places work any more), and returns once
     * each has ended:
     * <ol>
     *   <li>the placement's own threads (the compensator of {@code hybrid}), joined: from then on no spare carrier
     *       can start;</li>
     *   <li>the watchdogs of the base carriers and the spares, joined;</li>
     *   <li>every carrier, base and spare, stopped and joined (each wakes its sockets' waiters and closes its
     *       selector on the way out);</li>
     *   <li>the jacket pool: its threads interrupted, and waited for (a call that ignores its interrupt is
     *       reported after a second and left behind, the one thread the runtime cannot end);</li>
     *   <li>the MXBean unregistered.</li>
     * </ol>
     */
    @Override
    protected void shutdown() {
        boolean interrupted = !join(placement::stop);
        for (Watchdog w : watchdogs) {
            w.stop();
        }
        for (Watchdog w : watchdogs) {
            interrupted |= !join(w::awaitStopped);
        }
        List<Carrier> all = new ArrayList<>();
        for (CarrierView c : placement.carriers()) {
            all.add((Carrier) c);
        }
        for (Carrier c : all) {
            c.stop();
        }
        for (Carrier c : all) {
            interrupted |= !join(c::awaitStopped);
        }
        interrupted |= !jackets.shutdown(Duration.ofSeconds(1));
        if (mxBeanName != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(mxBeanName);
            } catch (JMException e) {
                // already gone
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A join that an interrupt does not cut short: shutdown finishes, then the interrupt is restored. */
    private interface Join {
        void await() throws InterruptedException;
    }

    private static boolean join(Join j) {
        boolean clean = true;
        for (;;) {
            try {
                j.await();
                return clean;
            } catch (InterruptedException e) {
                clean = false;
            }
        }
    }

    JacketPool jackets() {
        return jackets;
    }

    @Override
    public String dump() {
        StringBuilder out = new StringBuilder("runtime ").append(name()).append(": ")
                .append(liveStrands()).append(" live strands on ").append(activeCarriers().size()).append(" carrier(s)");
        if (multiCarrier) {
            out.append(", ").append(placement.injected()).append(" unstarted in the injection queue");
        }
        out.append('\n');
        for (Carrier c : activeCarriers()) {
            dumpCarrier(c, out);
        }
        return out.toString();
    }

    private void dumpCarrier(Carrier c, StringBuilder out) {
        if (c.isCarrierThread() || !c.thread().isAlive()) {
            c.dump(out, true);
            return;
        }
        if (!isClosing()) {
            StringBuilder byCarrier = new StringBuilder();
            CountDownLatch done = new CountDownLatch(1);
            try {
                spawnWith("hilos-dump", () -> {
                    c.dump(byCarrier, true);
                    done.countDown();
                }, body -> startOnCarrier(c, "hilos-dump", body));
                if (done.await(Duration.ofSeconds(1))) {
                    out.append(byCarrier);
                    return;
                }
            } catch (IllegalStateException closedMeanwhile) {
                // fall through
            } catch (InterruptedException e) {
                Strand.current().interrupt();
            }
        }
        out.append("(carrier ").append(c.thread().getName()).append(" did not answer within a second:"
                + " strands read without it, may be inconsistent; no stacks)\n");
        try {
            c.dump(out, false);
        } catch (RuntimeException racy) {
            out.append("(could not read the strands: ").append(racy).append(")\n");
        }
    }

    @Override
    public SchedulingPolicy policy() {
        return carriers[0].policy;
    }

    @Override
    public List<StallReport> stalls() {
        return stallLog.reports();
    }

    @Override
    public UltRuntimeMXBean metrics() {
        return metrics;
    }

    private long sum(java.util.function.ToLongFunction<CarrierCounters> field) {
        long total = 0;
        for (Carrier c : activeCarriers()) {
            total += field.applyAsLong(c.counters);
        }
        return total;
    }

    /** The MXBean: reads the carriers' counters as they are (see {@link CarrierCounters}). */
    private final class Metrics implements UltRuntimeMXBean {
        @Override
        public long getSpawned() {
            return sum(c -> c.spawned);
        }

        @Override
        public long getSwitches() {
            return sum(c -> c.switches);
        }

        @Override
        public long getParks() {
            return sum(c -> c.parks);
        }

        @Override
        public long getPinnedParks() {
            return sum(c -> c.pinnedParks);
        }

        @Override
        public long getJacketedCalls() {
            return sum(c -> c.jacketCalls);
        }

        @Override
        public long getJacketExhaustions() {
            return jackets.exhaustions();
        }

        @Override
        public long getPollerWakeups() {
            return sum(c -> c.pollerWakeups);
        }

        @Override
        public long getIdleBlocks() {
            return sum(c -> c.idleBlocks);
        }

        @Override
        public long getStalls() {
            return stallLog.count();
        }

        @Override
        public long getLiveStrands() {
            return liveStrands();
        }

        @Override
        public int getCarriers() {
            return activeCarriers().size();
        }

        @Override
        public long getCompensations() {
            return placement.compensations();
        }

        @Override
        public long getSteals() {
            return sum(c -> c.steals);
        }

        @Override
        public long[] getStrandsStartedPerCarrier() {
            long[] started = new long[carriers.length];
            for (int i = 0; i < carriers.length; i++) {
                started[i] = carriers[i].counters.spawned;
            }
            return started;
        }

        @Override
        public int[] getRunQueueLengths() {
            int[] lengths = new int[carriers.length];
            for (int i = 0; i < carriers.length; i++) {
                lengths[i] = carriers[i].runnableEstimate() + placement.queued(i);
            }
            return lengths;
        }
    }

    /** Reads settings with defaults; bad values are refused with the setting's name and value. */
    private record Settings(RuntimeOptions options) {
        String text(String key, String fallback) {
            return options.settings().getOrDefault(key, fallback);
        }

        boolean flag(String key, boolean fallback) {
            String value = options.settings().get(key);
            if (value == null) {
                return fallback;
            }
            return switch (value.trim()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("setting '" + key + "' must be true or false: '"
                        + value + "'");
            };
        }

        /** A count that must be at least 1: one rule and one message for 0 and for negative values. */
        int positive(String key, int fallback) {
            int n = number(key, fallback, 1);
            return n;
        }

        int number(String key, int fallback) {
            return number(key, fallback, 0);
        }

        private int number(String key, int fallback, int min) {
            String value = options.settings().get(key);
            if (value == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n < min) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting '" + key + "' must be " + (min == 0
                        ? "a non-negative integer" : "an integer of at least " + min) + ": '" + value + "'");
            }
        }
    }
}
