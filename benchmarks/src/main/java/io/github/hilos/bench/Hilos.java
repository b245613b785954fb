package io.github.hilos.bench;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code hilos} command line: {@code table} re-measures the chapter's table on this machine, {@code skynet}
 * runs the skynet benchmark on each runtime. Bad arguments print a message and the usage, never a stack trace.
 */
public final class Hilos {

    static final String USAGE = """
            usage: hilos <command> [options]

            commands:
              table [--quick] [--json | --markdown] [--chart FILE.svg]
                  the chapter's table (null fork, signal-wait) re-measured on ult, hybrid, jdk-virtual, klt and
                  processes, beside the 1991 figures; --quick takes about 10 s instead of about a minute;
                  then the switch path against raw continuations and Go (if installed)
              skynet [--runtime R[:POLICY]]... [--size N]
                  a 10-ary tree of N strands (default 1000000) summing 0..N-1, joined and over channels (the
                  original), on each runtime and in Go if installed (default: ult, ult:lifo,
                  hybrid, jdk-virtual, klt), with the checked sum, the time and the ratio to jdk-virtual;
                  R:POLICY opens ult or hybrid with that scheduling policy (fifo, lifo, priority...)
              fanout [--tasks 64] [--rounds 2000000] [--runtime R]...
                  CPU-bound work fanned out over strands and joined, on each runtime, with the ratio to ult
                  (one carrier): what M:N buys on several cores
              memory [--strands N]
                  heap bytes per parked strand (default N = 1000000) on ult, hybrid and jdk-virtual, each in a
                  fresh JVM; klt is left out (its stacks are native memory, not heap)
              serve <echo|http|files|stateful-files> [--runtime R] [--org O] [--port P] [--root DIR]
                    [--bind ADDR] [--workers N] [--carriers N]
                  runs a server-kit example (default: hybrid, thread-per-connection, 127.0.0.1:8080) until
                  Ctrl-C, which shuts it down gracefully; O is iterative, thread-per-connection,
                  dispatcher-worker, one-dispatcher or state-table; netty-http and jdk-http run the HTTP peers
              servers [--disk-latency 1ms] [--hit-ratio 0] [--clients 64] [--duration 2s] [--runtime R]...
                    [--org O]... [--workers N] [--chart FILE.svg]
                  the chapter's server experiment: a file server with a simulated disk under each organization
                  and runtime, loaded over loopback; requests/s, p50/p99 and the ratio to the iterative server
              http [--connections 64] [--threads 2] [--duration 10s] [--chart FILE.svg]
                  HTTP hello with keep-alive under wrk (from the system's packages): server-kit configurations
                  beside Netty 4.2 and the JDK HttpServer on virtual threads, each in its own JVM
              attack [--org O]... [--runtime R] [--connections 100] [--downloads 20]
                  server-kit's servers under hostile clients (chunk extensions, stalled bodies, never-reading
                  downloads, trickled bodies), each in its own JVM: a fresh client's p50/p99 and the live heap
                  against the targets, then 60 MiB downloads with late client bytes, which must arrive whole
              simulate [--schedules 20000]
                  deterministic simulation: schedules/s of a 10-strand test beside the same test run on ult,
                  the real time of a one-hour virtual sleep, and 100 replays of one seed compared
              jmh [JMH options]
                  the JMH suites (StrandBenchmarks, PeerBenchmarks, RawContinuationFloor), failing on error;
                  for example: jmh StrandBenchmarks.nullFork -p runtime=ult,jdk-virtual
              help
                  this text
            """;

    private Hilos() {
    }

    /** Thrown for bad command lines; the message is shown with the usage. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Runs a command.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
                out.print(USAGE);
                return 0;
            }
            List<String> rest = List.of(args).subList(1, args.length);
            switch (args[0]) {
                case "table" -> table(rest, out, err);
                case "skynet" -> skynet(rest, out, err);
                case "memory" -> memory(rest, out, err);
                case "fanout" -> FanOut.run(rest, out, err);
                case "serve" -> ServeCommand.run(rest, out, err);
                case "servers" -> ServersExperiment.run(rest, out, err);
                case "http" -> HttpCompare.run(rest, out, err);
                case "simulate" -> SimulateCommand.run(rest, out, err);
                case "attack" -> AttackCommand.run(rest, out, err);
                case "jmh" -> {
                    List<String> jmhArgs = new ArrayList<>(List.of("-foe", "true"));
                    jmhArgs.addAll(rest);
                    org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
                }
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("hilos: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("hilos: " + e);
            if (Boolean.getBoolean("hilos.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static void table(List<String> options, PrintStream out, PrintStream err) throws Exception {
        boolean quick = false;
        String format = "text";
        Path chart = null;
        for (int i = 0; i < options.size(); i++) {
            switch (options.get(i)) {
                case "--quick" -> quick = true;
                case "--json" -> format = "json";
                case "--markdown" -> format = "markdown";
                case "--chart" -> {
                    if (i + 1 >= options.size()) {
                        throw new UsageException("--chart needs a file name");
                    }
                    chart = Path.of(options.get(++i));
                }
                default -> throw new UsageException("unknown option for table: '" + options.get(i) + "'");
            }
        }
        long start = System.nanoTime();
        ChapterTable measured = new ChapterTable(quick, line -> err.print("\r\u001b[K" + line + " ..."));
        List<ChapterTable.Row> rows = measured.measure();
        err.printf("\r\u001b[Kmeasured in %.1f s%n", (System.nanoTime() - start) / 1e9);
        TableReport report = new TableReport(rows, Machine.describe(), measured.notes());
        switch (format) {
            case "json" -> out.println(report.json());
            case "markdown" -> out.print(report.markdown());
            default -> out.print(report.text());
        }
        if (chart != null) {
            Files.writeString(chart, report.svg(), StandardCharsets.UTF_8);
            err.println("chart written to " + chart);
        }
    }

    private static void memory(List<String> options, PrintStream out, PrintStream err) throws Exception {
        int strands = 1_000_000;
        for (int i = 0; i < options.size(); i++) {
            if (!options.get(i).equals("--strands")) {
                throw new UsageException("unknown option for memory: '" + options.get(i) + "'");
            }
            if (i + 1 >= options.size()) {
                throw new UsageException("--strands needs a value");
            }
            try {
                strands = Integer.parseInt(options.get(++i));
            } catch (NumberFormatException e) {
                strands = -1;
            }
            if (strands <= 0) {
                throw new UsageException("--strands needs a positive number: '" + options.get(i) + "'");
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        out.printf(Locale.ROOT, "heap bytes per parked strand, %d strands parked on a latch, each runtime in a fresh JVM%n",
                strands);
        for (String runtime : List.of("ult", "hybrid", "jdk-virtual")) {
            err.print("\r\u001b[Kmeasuring " + runtime + " ...");
            Process p = new ProcessBuilder(java, "-Xmx8g", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                    "-cp", classPath, MemoryProbe.class.getName(), runtime, Integer.toString(strands))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the memory probe for " + runtime + " failed: " + output);
            }
            String[] fields = output.lines().reduce((a, b) -> b).orElse("").split(" ");
            out.printf(Locale.ROOT, "%-12s %8s bytes%n", runtime, fields.length == 3 ? fields[2] : "?");
        }
        err.print("\r\u001b[K");
    }

    private static void skynet(List<String> options, PrintStream out, PrintStream err) throws Exception {
        List<String> runtimes = new ArrayList<>();
        int size = 1_000_000;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if ((option.equals("--runtime") || option.equals("--size")) && i + 1 >= options.size()) {
                throw new UsageException(option + " needs a value");
            }
            switch (option) {
                case "--runtime" -> {
                    String spec = options.get(++i);
                    checkRuntimeSpec(spec);
                    runtimes.add(spec);
                }
                case "--size" -> {
                    try {
                        size = Integer.parseInt(options.get(++i));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--size needs a positive power of 10: '" + options.get(i) + "'");
                    }
                    if (size <= 0 || Math.pow(10, Math.round(Math.log10(size))) != size) {
                        throw new UsageException("--size needs a positive power of 10: '" + size + "'");
                    }
                }
                default -> throw new UsageException("unknown option for skynet: '" + option + "'");
            }
        }
        if (runtimes.isEmpty()) {
            runtimes = List.of("ult", "ult:lifo", "hybrid", "jdk-virtual", "klt");
        }
        if (!runtimes.contains("jdk-virtual")) {
            runtimes = new ArrayList<>(runtimes);
            runtimes.add("jdk-virtual");
        }
        long expected = (long) size * (size - 1) / 2;
        Map<String, double[]> millis = new java.util.LinkedHashMap<>(); // runtime -> {join variant, channel variant}
        for (String runtime : runtimes) {
            if (runtime.equals("klt") && size > 10_000) {
                out.printf(Locale.ROOT, "%-12s skipped: %d platform threads is more than this command starts%n", runtime, size);
                continue;
            }
            err.print("\r\u001b[Krunning skynet on " + runtime + " ...");
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            try (StrandRuntime rt = RuntimeSpec.parse(runtime).open()) {
                for (int variant = 0; variant < 2; variant++) {
                    for (int round = 0; round < 3; round++) {
                        long t0 = System.nanoTime();
                        int n = size;
                        long sum = variant == 0 ? rt.run(() -> Skynet.sum(rt, 0, n))
                                : rt.run(() -> Skynet.sumOverChannels(rt, 0, n));
                        best[variant] = Math.min(best[variant], (System.nanoTime() - t0) / 1e6);
                        if (sum != expected) {
                            throw new IllegalStateException("skynet on " + runtime + " summed " + sum + ", expected "
                                    + expected);
                        }
                    }
                }
            }
            millis.put(runtime, best);
        }
        err.print("\r\u001b[Krunning skynet in Go, if installed ...");
        GoPeer.Skynet go = GoPeer.skynet(size);
        if (go.note() == null && go.sum() != expected) {
            throw new IllegalStateException("skynet in Go summed " + go.sum() + ", expected " + expected);
        }
        err.print("\r\u001b[K");
        double[] reference = millis.getOrDefault("jdk-virtual", new double[] {Double.NaN, Double.NaN});
        out.printf(Locale.ROOT, "skynet, %d strands (best of 3), sum checked = %d%n", size, expected);
        out.printf(Locale.ROOT, "%-12s %9s   %-22s %9s   %s%n", "", "join", "(x jdk-virtual)", "channels",
                "(x jdk-virtual; the original skynet)");
        for (Map.Entry<String, double[]> e : millis.entrySet()) {
            double[] m = e.getValue();
            out.printf(Locale.ROOT, "%-12s %9.1f ms   %6.2fx faster          %9.1f ms   %6.2fx faster%n", e.getKey(),
                    m[0], reference[0] / m[0], m[1], reference[1] / m[1]);
        }
        if (go.note() != null) {
            out.println("note: " + go.note());
        } else {
            out.printf(Locale.ROOT, "%-12s %9s   %-22s %9.1f ms   %6.2fx faster%n", "go", "-", "", go.millis(),
                    reference[1] / go.millis());
            for (Map.Entry<String, double[]> e : millis.entrySet()) {
                out.printf(Locale.ROOT, "channels on %s: %.2fx Go's time (%.2fx faster)%n", e.getKey(),
                        e.getValue()[1] / go.millis(), go.millis() / e.getValue()[1]);
            }
        }
    }

    /**
     * A runtime given as {@code NAME} or {@code NAME:POLICY} (a scheduling policy of {@code ult} or {@code hybrid},
     * as their {@code policy} setting takes it).
     *
     * @param name the runtime's name
     * @param policy the policy, or null for the runtime's default
     */
    private record RuntimeSpec(String name, String policy) {

        static RuntimeSpec parse(String spec) {
            int colon = spec.indexOf(':');
            return colon < 0 ? new RuntimeSpec(spec, null)
                    : new RuntimeSpec(spec.substring(0, colon), spec.substring(colon + 1));
        }

        StrandRuntime open() {
            return policy == null ? Runtimes.open(name)
                    : Runtimes.open(name, RuntimeOptions.defaults().with("policy", policy));
        }
    }

    private static void checkRuntimeSpec(String spec) throws UsageException {
        RuntimeSpec parsed = RuntimeSpec.parse(spec);
        if (!Runtimes.names().contains(parsed.name())) {
            throw new UsageException("unknown runtime '" + parsed.name() + "'; known runtimes: "
                    + String.join(", ", Runtimes.names()));
        }
        if (parsed.policy() != null) {
            if (!parsed.name().equals("ult") && !parsed.name().equals("hybrid")) {
                throw new UsageException("runtime '" + parsed.name() + "' takes no scheduling policy ('" + spec
                        + "'); only ult and hybrid do");
            }
            try {
                io.github.hilos.ult.SchedulingPolicies.parse(parsed.policy());
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad scheduling policy in '" + spec + "': " + e.getMessage());
            }
        }
    }

    /**
     * Runs skynet over {@code size} strands from the calling strand.
     *
     * @param rt the runtime whose strand calls this
     * @param size a power of ten
     * @return the sum of 0..size-1
     * @throws InterruptedException if interrupted while joining
     */
    public static long skynet(StrandRuntime rt, int size) throws InterruptedException {
        return Skynet.sum(rt, 0, size);
    }

    /** Skynet: each strand spawns ten children over a tenth of its range, or returns its number at the leaves. */
    static final class Skynet {
        private Skynet() {
        }

        /**
         * The original skynet: each strand spawns ten children, which send their sums to it over a rendezvous
         * channel (Go's unbuffered channel).
         */
        static long sumOverChannels(StrandRuntime rt, long num, int size) throws InterruptedException {
            io.github.hilos.sync.Channel<Long> result = io.github.hilos.sync.Channels.rendezvous();
            rt.spawn(() -> child(rt, result, num, size));
            return result.receive();
        }

        private static void child(StrandRuntime rt, io.github.hilos.sync.Channel<Long> parent, long num, int size) {
            try {
                if (size == 1) {
                    parent.send(num);
                    return;
                }
                io.github.hilos.sync.Channel<Long> children = io.github.hilos.sync.Channels.rendezvous();
                int part = size / 10;
                for (int i = 0; i < 10; i++) {
                    long sub = num + (long) i * part;
                    rt.spawn(() -> child(rt, children, sub, part));
                }
                long sum = 0;
                for (int i = 0; i < 10; i++) {
                    sum += children.receive();
                }
                parent.send(sum);
            } catch (InterruptedException e) {
                Strand.current().interrupt();
            }
        }

        static long sum(StrandRuntime rt, long num, int size) throws InterruptedException {
            if (size == 1) {
                return num;
            }
            int part = size / 10;
            long[] sums = new long[10];
            Strand[] children = new Strand[10];
            for (int i = 0; i < 10; i++) {
                int k = i;
                children[i] = rt.spawn(() -> {
                    try {
                        sums[k] = sum(rt, num + (long) k * part, part);
                    } catch (InterruptedException e) {
                        Strand.current().interrupt();
                    }
                });
            }
            long total = 0;
            for (int i = 0; i < 10; i++) {
                children[i].join();
                total += sums[i];
            }
            return total;
        }
    }

    /** What machine the figures come from. */
    record Machine(String cpu, int cores, String jdk, String os) {
        static Machine describe() {
            String cpu = "unknown CPU";
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        cpu = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                cpu = System.getProperty("os.arch");
            }
            return new Machine(cpu, Runtime.getRuntime().availableProcessors(),
                    Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ")",
                    System.getProperty("os.name") + " " + System.getProperty("os.version"));
        }
    }
}
