package io.github.hilos.sim;

import io.github.hilos.api.RuntimeOptions;

import java.util.Map;
import java.util.Set;

/**
 * The settings of a {@code sim} runtime, read from {@link RuntimeOptions} once: every name, its meaning and its
 * default is listed in {@link #NAMES} and in docs/simulation.md.
 */
record SimSettings(long seed, boolean pct, int pctDepth, int pctSteps, boolean switchPoints, long jacketNanos,
                   long minLatencyNanos, long maxLatencyNanos, double faultRate, boolean failOnLeaks,
                   long maxSteps, long maxVirtualNanos, boolean checkMonitors, boolean realTime) {

    /** Every setting a {@code sim} runtime knows. */
    static final Set<String> NAMES = Set.of("seed", "strategy", "pct.depth", "pct.steps", "switch.points",
            "jacket.us", "latency.min.us", "latency.max.us", "faults", "leaks", "max.steps", "max.time.s",
            "check.monitors", "time");

    static SimSettings of(RuntimeOptions options) {
        Map<String, String> s = options.settings();
        String strategy = s.getOrDefault("strategy", "random");
        if (!strategy.equals("random") && !strategy.equals("pct")) {
            throw new IllegalArgumentException("setting strategy of runtime 'sim' is '" + strategy
                    + "'; known strategies: random, pct");
        }
        String leaks = s.getOrDefault("leaks", "ignore");
        if (!leaks.equals("ignore") && !leaks.equals("fail")) {
            throw new IllegalArgumentException("setting leaks of runtime 'sim' is '" + leaks + "'; use ignore or fail");
        }
        long minLatency = micros(s, "latency.min.us", 50);
        long maxLatency = micros(s, "latency.max.us", 500);
        if (maxLatency < minLatency) {
            throw new IllegalArgumentException("setting latency.max.us of runtime 'sim' is below latency.min.us");
        }
        double faults = Double.parseDouble(s.getOrDefault("faults", "0"));
        if (!(faults >= 0 && faults <= 1)) {
            throw new IllegalArgumentException("setting faults of runtime 'sim' is a probability, 0 to 1: " + faults);
        }
        return new SimSettings(
                Long.parseLong(s.getOrDefault("seed", "0")),
                strategy.equals("pct"),
                positive(s, "pct.depth", 3),
                positive(s, "pct.steps", 200),
                Boolean.parseBoolean(s.getOrDefault("switch.points", "false")),
                micros(s, "jacket.us", 0),
                minLatency,
                maxLatency,
                faults,
                leaks.equals("fail"),
                positive(s, "max.steps", 10_000_000),
                positive(s, "max.time.s", 30L * 24 * 3600) * 1_000_000_000L,
                Boolean.parseBoolean(s.getOrDefault("check.monitors",
                        Boolean.toString(io.github.hilos.ult.internal.cont.Coroutine.CHECK_MONITORS))),
                realTime(s.getOrDefault("time", "virtual")));
    }

    private static boolean realTime(String time) {
        if (!time.equals("virtual") && !time.equals("real")) {
            throw new IllegalArgumentException("setting time of runtime 'sim' is '" + time + "'; use virtual or real");
        }
        return time.equals("real");
    }

    private static long micros(Map<String, String> s, String name, long defaultMicros) {
        long v = Long.parseLong(s.getOrDefault(name, Long.toString(defaultMicros)));
        if (v < 0) {
            throw new IllegalArgumentException("setting " + name + " of runtime 'sim' must not be negative: " + v);
        }
        return v * 1000;
    }

    private static int positive(Map<String, String> s, String name, int defaultValue) {
        return (int) positive(s, name, (long) defaultValue);
    }

    private static long positive(Map<String, String> s, String name, long defaultValue) {
        long v = Long.parseLong(s.getOrDefault(name, Long.toString(defaultValue)));
        if (v <= 0) {
            throw new IllegalArgumentException("setting " + name + " of runtime 'sim' must be positive: " + v);
        }
        return v;
    }
}
