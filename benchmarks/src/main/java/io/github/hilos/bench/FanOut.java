package io.github.hilos.bench;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code hilos fanout}: CPU-bound work fanned out over strands and joined, on each runtime: the M:N runtime
 * should use every core where the N:1 runtime has one (the target: {@code hybrid} in at most 0.6x the time
 * of {@code ult} on two cores).
 */
final class FanOut {

    private FanOut() {
    }

    /** A fixed amount of integer work that the JIT cannot remove (its result is checked). */
    static long work(long seed, int rounds) {
        long x = seed;
        for (int i = 0; i < rounds; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    static void run(List<String> options, PrintStream out, PrintStream err) throws Exception {
        Args args = new Args("fanout", options, Set.of("--tasks", "--rounds", "--runtime"));
        int tasks = args.positiveInt("--tasks", 64);
        int rounds = args.positiveInt("--rounds", 2_000_000);
        List<String> runtimes = args.runtimes("--runtime", List.of("ult", "hybrid", "jdk-virtual", "klt"));
        long expected = 0;
        for (int t = 0; t < tasks; t++) {
            expected += work(t + 1, rounds);
        }
        Map<String, Double> millis = new LinkedHashMap<>();
        for (String runtime : runtimes) {
            err.print("\r\u001b[Kfanning out on " + runtime + " ...");
            double best = Double.MAX_VALUE;
            try (StrandRuntime rt = Runtimes.open(runtime)) {
                for (int round = 0; round < 5; round++) {
                    long t0 = System.nanoTime();
                    long sum = rt.run(() -> fanOut(rt, tasks, rounds));
                    best = Math.min(best, (System.nanoTime() - t0) / 1e6);
                    if (sum != expected) {
                        throw new IllegalStateException("fan-out on " + runtime + " summed " + sum + ", expected "
                                + expected);
                    }
                }
            }
            millis.put(runtime, best);
        }
        err.print("\r\u001b[K");
        out.printf(Locale.ROOT, "CPU-bound fan-out: %d strands of %d rounds each, joined (best of 5), %d cores%n",
                tasks, rounds, Runtime.getRuntime().availableProcessors());
        Double ult = millis.get("ult");
        for (Map.Entry<String, Double> e : millis.entrySet()) {
            out.printf(Locale.ROOT, "%-12s %9.1f ms%s%n", e.getKey(), e.getValue(), ult == null ? ""
                    : String.format(Locale.ROOT, "   %.2fx the time on ult", e.getValue() / ult));
        }
        if (ult != null && millis.containsKey("hybrid")) {
            double ratio = millis.get("hybrid") / ult;
            out.printf(Locale.ROOT, "%nhybrid takes %.2fx the time of ult (target <= 0.6): %s%n", ratio,
                    ratio <= 0.6 ? "meets the target" : "MISSES the target");
        }
    }

    private static long fanOut(StrandRuntime rt, int tasks, int rounds) throws InterruptedException {
        long[] results = new long[tasks];
        List<Strand> strands = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int k = t;
            strands.add(rt.spawn("work-" + t, () -> results[k] = work(k + 1, rounds)));
        }
        long sum = 0;
        for (int t = 0; t < tasks; t++) {
            strands.get(t).join(); // orders results[t]'s write before this read
            sum += results[t];
        }
        return sum;
    }
}
