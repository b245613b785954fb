package io.github.hilos.bench;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Service;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.StateMachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code hilos servers}: the chapter's server experiment. A file server whose disk takes {@code latency} per read
 * (a miss; a cache hit takes nothing) under each organization and runtime, loaded by {@code clients} closed-loop
 * clients over loopback, each sending {@code READ block} lines on a connection it reopens every 50 requests (so that
 * the iterative server, which serves one connection to its end, gets to every client). The thread organizations
 * read the disk with a blocking call (the strand sleeps: a real blocking sleep on kernel threads, a park on
 * user-level runtimes); the state-table server starts the read asynchronously and gets its completion as an event,
 * as the chapter says a finite-state machine must.
 */
final class ServersExperiment {

    private static final int REQUESTS_PER_CONNECTION = 50;
    private static final String PAYLOAD = "x".repeat(64);

    private ServersExperiment() {
    }

    /** The simulated disk. */
    static final class Disk implements AutoCloseable {
        final long latencyNanos;
        final double hitRatio;
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulated-disk");
            t.setDaemon(true);
            return t;
        });

        Disk(Duration latency, double hitRatio) {
            this.latencyNanos = latency.toNanos();
            this.hitRatio = hitRatio;
        }

        boolean hit() {
            return ThreadLocalRandom.current().nextDouble() < hitRatio;
        }

        String readBlocking(String block) throws InterruptedException {
            if (!hit() && latencyNanos > 0) {
                Strand.sleep(Duration.ofNanos(latencyNanos));
            }
            return "DATA " + block + " " + PAYLOAD;
        }

        CompletableFuture<String> readAsync(String block) {
            String data = "DATA " + block + " " + PAYLOAD;
            if (hit() || latencyNanos == 0) {
                return CompletableFuture.completedFuture(data);
            }
            CompletableFuture<String> f = new CompletableFuture<>();
            timer.schedule(() -> f.complete(data), latencyNanos, TimeUnit.NANOSECONDS);
            return f;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    static Service<String, String> blockingFiles(Disk disk) {
        return line -> line.startsWith("READ ") ? disk.readBlocking(line.substring(5)) : "ERR unknown command";
    }

    enum Waiting { FOR_THE_DISK }

    static StateMachine<String, String> asyncFiles(Disk disk) {
        return new StateMachine<>() {
            @Override
            public Transition<String> start(long id, String line) {
                return line.startsWith("READ ") ? Transition.await(Waiting.FOR_THE_DISK, disk.readAsync(line.substring(5)))
                        : Transition.reply("ERR unknown command");
            }

            @Override
            public Transition<String> resume(long id, Object state, Object result, Throwable failure) {
                return Transition.reply(failure == null ? (String) result : "ERR " + failure);
            }
        };
    }

    /** One configuration's result. */
    record Result(String org, String runtime, double perSecond, double p50Millis, double p99Millis, long requests) {
    }

    static void run(List<String> options, PrintStream out, PrintStream err) throws Exception {
        Args args = new Args("servers", options, Set.of("--disk-latency", "--clients", "--duration", "--hit-ratio",
                "--runtime", "--org", "--workers", "--chart"));
        Duration latency = args.duration("--disk-latency", Duration.ofMillis(1));
        int clients = args.positiveInt("--clients", 64);
        Duration duration = args.duration("--duration", Duration.ofSeconds(2));
        double hitRatio = args.fraction("--hit-ratio", 0);
        int workers = args.positiveInt("--workers", clients);
        List<String> runtimes = args.runtimes("--runtime", List.of("ult", "hybrid", "jdk-virtual", "klt"));
        List<String> orgs = args.all("--org").isEmpty() ? ServerSetup.ORGANIZATIONS : args.all("--org");
        for (String o : orgs) {
            if (!ServerSetup.ORGANIZATIONS.contains(o)) {
                throw new Hilos.UsageException("unknown organization '" + o + "'; known: "
                        + String.join(", ", ServerSetup.ORGANIZATIONS));
            }
        }
        if (duration.toMillis() < 200) {
            throw new Hilos.UsageException("--duration must be at least 200ms");
        }
        out.printf(Locale.ROOT, "the chapter's server experiment: a file server, disk %s per read (hit ratio %.2f), "
                        + "%d closed-loop clients on loopback, %s per configuration after a %s warm-up%n",
                human(latency), hitRatio, clients, human(duration), human(duration.dividedBy(2)));
        List<Result> results = new ArrayList<>();
        try (Disk disk = new Disk(latency, hitRatio)) {
            for (String runtime : runtimes) {
                for (String org : orgs) {
                    err.print("\r\u001b[Kmeasuring " + org + " on " + runtime + " ...");
                    results.add(measure(org, runtime, disk, clients, workers, duration));
                }
            }
        }
        err.print("\r\u001b[K");
        out.printf(Locale.ROOT, "%-22s %-12s %12s %10s %10s %12s%n", "organization", "runtime", "requests/s",
                "p50 ms", "p99 ms", "x iterative");
        Map<String, Double> iterative = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.org().equals("iterative")) {
                iterative.put(r.runtime(), r.perSecond());
            }
        }
        for (Result r : results) {
            Double base = iterative.get(r.runtime());
            out.printf(Locale.ROOT, "%-22s %-12s %12.0f %10.2f %10.2f %12s%n", r.org(), r.runtime(), r.perSecond(),
                    r.p50Millis(), r.p99Millis(), base == null || base == 0 ? "-"
                            : String.format(Locale.ROOT, "%.1fx", r.perSecond() / base));
        }
        out.println();
        out.println("the chapter's claim, checked (target: dispatcher/worker and state-table >= 20x iterative):");
        for (Result r : results) {
            Double base = iterative.get(r.runtime());
            if (base != null && base > 0 && (r.org().contains("dispatcher") || r.org().equals("state-table"))) {
                double x = r.perSecond() / base;
                out.printf(Locale.ROOT, "  %-18s on %-12s %6.1fx iterative  %s%n", r.org(), r.runtime(), x,
                        x >= 20 ? "meets the target" : "MISSES the target");
            }
        }
        String chart = args.text("--chart", null);
        if (chart != null) {
            List<SvgBars.Bar> bars = results.stream().map(r -> new SvgBars.Bar(r.org() + " / " + r.runtime(),
                    r.perSecond(), String.format(Locale.ROOT, "%.0f/s", r.perSecond()))).toList();
            Files.writeString(Path.of(chart), SvgBars.render("File server, disk " + human(latency) + ", " + clients
                    + " clients", "requests per second", bars));
            err.println("chart written to " + chart);
        }
    }

    static String human(Duration d) {
        long n = d.toNanos();
        return n % 1_000_000_000L == 0 ? n / 1_000_000_000L + "s" : n % 1_000_000 == 0 ? n / 1_000_000 + "ms"
                : n / 1000 + "us";
    }

    private static Result measure(String org, String runtime, Disk disk, int clients, int workers, Duration duration)
            throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults();
        try (StrandRuntime rt = Runtimes.open(runtime, options)) {
            ServerSetup.Running server = ServerSetup.start(org, rt,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ServerSetup.lines(),
                    blockingFiles(disk), asyncFiles(disk), workers,
                    // every client comes from loopback: the per-source cap must not refuse the experiment's own
                    ServerLimits.DEFAULTS.withMaxConnections(1 << 16).withMaxConnectionsPerSource(1 << 16));
            try {
                return load(org, runtime, server.address(), clients, duration);
            } finally {
                server.shutdown(Duration.ofSeconds(2));
            }
        }
    }

    /** Closed-loop clients on platform threads; counts the requests that complete inside the measured window. */
    private static Result load(String org, String runtime, SocketAddress address, int clients, Duration duration)
            throws Exception {
        long warmup = duration.toNanos() / 2;
        long start = System.nanoTime();
        long measureFrom = start + warmup;
        long end = measureFrom + duration.toNanos();
        List<long[]> latencies = new ArrayList<>(java.util.Collections.nCopies(clients, null));
        int[] counts = new int[clients];
        int[] errors = new int[clients];
        List<Thread> threads = new ArrayList<>();
        List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                long[] mine = new long[1024];
                int n = 0;
                int block = 0;
                while (System.nanoTime() < end) {
                    try (Socket s = new Socket()) {
                        sockets.add(s);
                        s.setTcpNoDelay(true);
                        s.connect(address, 30_000);
                        s.setSoTimeout((int) Math.max(1000, (end - System.nanoTime()) / 1_000_000 + 1000));
                        OutputStream o = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        for (int r = 0; r < REQUESTS_PER_CONNECTION && System.nanoTime() < end; r++) {
                            long t0 = System.nanoTime();
                            o.write(("READ " + client + "." + block++ + "\n").getBytes(StandardCharsets.US_ASCII));
                            int answer = readLine(in);
                            if (answer < 0) {
                                break;
                            }
                            long t1 = System.nanoTime();
                            if (t1 >= measureFrom && t1 < end) {
                                if (answer == 0) {
                                    errors[client]++; // an ERR line is not a file read served
                                    continue;
                                }
                                if (n == mine.length) {
                                    mine = Arrays.copyOf(mine, 2 * n);
                                }
                                mine[n++] = t1 - t0;
                            }
                        }
                    } catch (IOException e) {
                        if (System.nanoTime() < end) {
                            try {
                                Thread.sleep(1); // refused or reset: try again
                            } catch (InterruptedException interrupted) {
                                return;
                            }
                        }
                    } finally {
                        counts[client] = n;
                        latencies.set(client, mine); // read after join
                    }
                }
            }));
        }
        long waitMillis = (end - System.nanoTime()) / 1_000_000 + 1;
        Thread.sleep(Math.max(1, waitMillis));
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close(); // clients still waiting (the iterative server's backlog) stop now
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < clients; c++) {
            if (counts[c] > 0) {
                System.arraycopy(latencies.get(c), 0, all, k, counts[c]);
            }
            k += counts[c];
        }
        Arrays.sort(all);
        double perSecond = total / (duration.toNanos() / 1e9);
        int failed = Arrays.stream(errors).sum();
        if (failed > 0) {
            throw new IllegalStateException(org + " on " + runtime + " answered " + failed + " requests with ERR");
        }
        return new Result(org, runtime, perSecond, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, total);
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code p} of the samples at or below it. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Reads one answer line: 1 for data, 0 for an error line, -1 at the end of the stream. */
    private static int readLine(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return -1;
        }
        for (int b = first; b != '\n'; b = in.read()) {
            if (b < 0) {
                return -1;
            }
        }
        return first == 'D' ? 1 : 0;
    }
}
