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

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The {@code ult} runtime: one {@link Carrier}, a {@link JacketPool}, a {@link Watchdog}, and the live-strand
 * accounting of {@link AbstractStrandRuntime}. Public only so that {@code io.github.hilos.ult.UltRuntimes} can
 * make it; the package is not exported.
 */
public final class UltRuntimeImpl extends AbstractStrandRuntime implements UltRuntime {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Carrier carrier;
    private final JacketPool jackets;
    private final Watchdog watchdog;
    private final AtomicLong ids = new AtomicLong();
    private final ObjectName mxBeanName;
    private final Metrics metrics = new Metrics();

    /** The settings this runtime understands, with their defaults. */
    public static final List<String> SETTINGS = List.of(
            "policy", "idle.spins", "idle.yields", "jacket.threads", "jacket.queue", "watchdog.threshold.ms");

    /**
     * Opens a runtime.
     *
     * @param name the runtime name
     * @param options the options; settings as listed in {@link #SETTINGS}
     * @param policy the scheduling policy, or null to take it from the {@code policy} setting (default fifo)
     */
    public UltRuntimeImpl(String name, RuntimeOptions options, SchedulingPolicy policy) {
        super(name, options);
        if (!ContinuationAccess.isAvailable()) {
            throw new IllegalStateException("runtime '" + name + "' needs JDK continuations: start the JVM with "
                    + ContinuationAccess.requiredFlag() + " (see docs/ult-runtime.md)");
        }
        Settings s = new Settings(options);
        SchedulingPolicy chosen = policy != null ? policy : SchedulingPolicies.parse(s.text("policy", "fifo"));
        int idleSpins = s.number("idle.spins", 100);
        int idleYields = s.number("idle.yields", 10);
        int jacketThreads = s.number("jacket.threads", 16);
        int jacketQueue = s.number("jacket.queue", 1024);
        int watchdogMillis = s.number("watchdog.threshold.ms", 1000);
        if (jacketThreads == 0) {
            throw new IllegalArgumentException("setting 'jacket.threads' must be at least 1: '0'");
        }
        int instance = INSTANCES.incrementAndGet();
        this.jackets = new JacketPool(name + "-" + instance, jacketThreads, jacketQueue);
        this.carrier = new Carrier(this, "hilos-" + name + "-" + instance + "-carrier", chosen, idleSpins, idleYields);
        this.watchdog = new Watchdog(carrier, Duration.ofMillis(watchdogMillis));
        this.mxBeanName = register(name + "-" + instance);
        carrier.start();
        watchdog.start();
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
        return start(strandName, SchedulingPolicies.DEFAULT_PRIORITY, body);
    }

    @Override
    protected Strand start(String strandName, int priority, Runnable body) {
        UltStrand strand = new UltStrand(carrier, ids.incrementAndGet(), strandName, priority, body);
        carrier.submitSpawned(strand);
        return strand;
    }

    @Override
    public Strand spawn(String name, int priority, Runnable task) {
        return spawnWithPriority(name, priority, task);
    }

    void onStrandEnded() {
        strandEnded();
    }

    @Override
    protected boolean isOwnStrand() {
        return Strand.current() instanceof UltStrand s && s.carrier == carrier;
    }

    @Override
    protected void shutdown() {
        watchdog.stop();
        carrier.stop();
        try {
            carrier.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jackets.shutdown();
        if (mxBeanName != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(mxBeanName);
            } catch (JMException e) {
                // already gone
            }
        }
    }

    JacketPool jackets() {
        return jackets;
    }

    @Override
    public String dump() {
        StringBuilder out = new StringBuilder("runtime ").append(name()).append(": ")
                .append(metrics.getLiveStrands()).append(" live strands\n");
        if (carrier.isCarrierThread() || !carrier.thread().isAlive()) {
            carrier.dump(out, true);
            return out.toString();
        }
        if (!isClosing()) {
            StringBuilder byCarrier = new StringBuilder();
            CountDownLatch done = new CountDownLatch(1);
            try {
                spawn("hilos-dump", () -> {
                    carrier.dump(byCarrier, true);
                    done.countDown();
                });
                if (done.await(Duration.ofSeconds(1))) {
                    return out.append(byCarrier).toString();
                }
            } catch (IllegalStateException closedMeanwhile) {
                // fall through
            } catch (InterruptedException e) {
                Strand.current().interrupt();
            }
        }
        out.append("(the carrier did not answer within a second: strands read without it, may be inconsistent;"
                + " no stacks)\n");
        try {
            carrier.dump(out, false);
        } catch (RuntimeException racy) {
            out.append("(could not read the strands: ").append(racy).append(")\n");
        }
        return out.toString();
    }

    @Override
    public SchedulingPolicy policy() {
        return carrier.policy;
    }

    @Override
    public List<StallReport> stalls() {
        return watchdog.reports();
    }

    @Override
    public UltRuntimeMXBean metrics() {
        return metrics;
    }

    /** The MXBean: reads the carrier's counters as they are (see {@link CarrierCounters}). */
    private final class Metrics implements UltRuntimeMXBean {
        @Override
        public long getSpawned() {
            return carrier.counters.spawned;
        }

        @Override
        public long getSwitches() {
            return carrier.counters.switches;
        }

        @Override
        public long getParks() {
            return carrier.counters.parks;
        }

        @Override
        public long getPinnedParks() {
            return carrier.counters.pinnedParks;
        }

        @Override
        public long getJacketedCalls() {
            return carrier.counters.jacketCalls;
        }

        @Override
        public long getJacketExhaustions() {
            return jackets.exhaustions();
        }

        @Override
        public long getPollerWakeups() {
            return carrier.counters.pollerWakeups;
        }

        @Override
        public long getIdleBlocks() {
            return carrier.counters.idleBlocks;
        }

        @Override
        public long getStalls() {
            return watchdog.reportCount();
        }

        @Override
        public long getLiveStrands() {
            return liveStrands();
        }
    }

    /** Reads settings with defaults; bad values are refused with the setting's name and value. */
    private record Settings(RuntimeOptions options) {
        String text(String key, String fallback) {
            return options.settings().getOrDefault(key, fallback);
        }

        int number(String key, int fallback) {
            String value = options.settings().get(key);
            if (value == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting '" + key + "' must be a non-negative integer: '" + value + "'");
            }
        }
    }
}
