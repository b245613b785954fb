package io.github.hilos.bench;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Semaphore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The chapter's table (Anderson et al., 1991) re-measured: null fork and signal-wait for user-level threads
 * ({@code ult}, {@code hybrid}), JDK virtual threads, kernel threads ({@code klt}) and processes.
 *
 * <p>Null fork: from inside a strand of the runtime, spawn a batch of strands that do nothing, then join them
 * all; the cost per strand (create, schedule, run, complete, join). For processes: start {@code /bin/true} and
 * wait for it. Signal-wait: two strands alternately release and acquire two Hilos semaphores; the cost of a
 * round trip. For processes: a byte written to a {@code cat} child and read back through pipes.
 */
final class ChapterTable {

    static final List<String> COLUMNS = List.of("ult", "hybrid", "jdk-virtual", "jdk-virtual-1", "klt", "process");
    /** The column measured in a child JVM whose virtual-thread scheduler has one carrier (the JVM-wide setting). */
    static final String ONE_CARRIER = "jdk-virtual-1";
    /** The 1991 figures in microseconds, by operation then column (Firefly, CVAX). */
    static final Map<String, double[]> FIRST_TABLE = Map.of(
            "null-fork", new double[] {34, 948, 11300},
            "signal-wait", new double[] {37, 441, 1840});

    /** The raw-continuation floor's column (see {@link SwitchFloor}); beside the table, not in it. */
    static final String FLOOR = "floor";

    /** One measured cell. */
    record Row(String operation, String runtime, Samples samples) {
    }

    private final boolean quick;
    private final Consumer<String> progress;
    private final List<String> notes = new ArrayList<>();

    ChapterTable(boolean quick, Consumer<String> progress) {
        this.quick = quick;
        this.progress = progress;
    }

    List<Row> measure() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String column : COLUMNS) {
            if (column.equals(ONE_CARRIER)) {
                progress.accept("measuring jdk-virtual on one carrier (a child JVM)");
                rows.addAll(oneCarrierRows());
                continue;
            }
            progress.accept("measuring null fork on " + column);
            rows.add(new Row("null-fork", column, column.equals("process") ? processFork() : nullFork(column)));
            progress.accept("measuring signal-wait on " + column);
            rows.add(new Row("signal-wait", column, column.equals("process") ? processSignalWait() : signalWait(column)));
        }
        progress.accept("measuring the raw-continuation floor");
        SwitchFloor floor = new SwitchFloor();
        rows.add(new Row("null-fork", FLOOR, Measure.sample(floor::nullFork, 1000, warm(), budget(), 5, 10_000)));
        rows.add(new Row("signal-wait", FLOOR, Measure.sample(floor::signalWait, 20_000, warm(), budget(), 5, 10_000)));
        progress.accept("measuring Go (GOMAXPROCS=1), if installed");
        GoPeer.Result go = GoPeer.measure(quick);
        rows.addAll(go.rows());
        if (go.note() != null) {
            notes.add(go.note());
        }
        return rows;
    }

    /** What the last {@link #measure()} could not measure, and why (an optional peer missing, say). */
    List<String> notes() {
        return List.copyOf(notes);
    }

    /** Runs {@link #main} in a child JVM with one virtual-thread carrier; reads its two rows back. */
    private List<Row> oneCarrierRows() throws Exception {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaCommand, "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                "-cp", System.getProperty("java.class.path"), ChapterTable.class.getName(), Boolean.toString(quick))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the one-carrier measurement failed: " + output);
        }
        List<Row> rows = parseRows(output, ONE_CARRIER);
        if (rows.size() != 2) {
            throw new IllegalStateException("the one-carrier measurement printed no rows: " + output);
        }
        return rows;
    }

    /**
     * The child side of {@link #oneCarrierRows()}: measures jdk-virtual (one carrier, by JVM flags) and prints
     * {@code row <operation> <samples...>}.
     *
     * @param args {@code true} for the quick budget
     * @throws Exception if a measurement fails
     */
    public static void main(String[] args) throws Exception {
        ChapterTable table = new ChapterTable(Boolean.parseBoolean(args[0]), line -> { });
        for (Row r : List.of(new Row("null-fork", "", table.nullFork("jdk-virtual")),
                new Row("signal-wait", "", table.signalWait("jdk-virtual")))) {
            StringBuilder line = new StringBuilder("row ").append(r.operation());
            for (double v : r.samples().perOpNanos()) {
                line.append(' ').append(v);
            }
            System.out.println(line);
        }
    }

    private long warm() {
        return quick ? 150_000_000L : 800_000_000L;
    }

    private long budget() {
        return quick ? 300_000_000L : 2_500_000_000L;
    }

    private static StrandRuntime open(String runtime) {
        return Runtimes.open(runtime, RuntimeOptions.defaults());
    }

    private Samples nullFork(String runtime) throws Exception {
        int batch = runtime.equals("klt") ? 200 : 1000;
        try (StrandRuntime rt = open(runtime)) {
            return rt.run(() -> Measure.sample(size -> {
                Strand[] strands = new Strand[size];
                for (int i = 0; i < size; i++) {
                    strands[i] = rt.spawn(Nothing.INSTANCE);
                }
                for (Strand s : strands) {
                    s.join();
                }
            }, batch, warm(), budget(), 5, 10_000));
        }
    }

    private Samples signalWait(String runtime) throws Exception {
        int batch = runtime.equals("klt") ? 2_000 : 20_000;
        try (StrandRuntime rt = open(runtime)) {
            return rt.run(() -> Measure.sample(size -> {
                Semaphore ping = new Semaphore(0);
                Semaphore pong = new Semaphore(0);
                Strand partner = rt.spawn(() -> {
                    try {
                        for (int i = 0; i < size; i++) {
                            ping.acquire();
                            pong.release();
                        }
                    } catch (InterruptedException e) {
                        Strand.current().interrupt();
                    }
                });
                for (int i = 0; i < size; i++) {
                    ping.release();
                    pong.acquire();
                }
                partner.join();
            }, batch, warm(), budget(), 5, 10_000));
        }
    }

    private Samples processFork() throws Exception {
        return Measure.sample(size -> {
            for (int i = 0; i < size; i++) {
                Process p = new ProcessBuilder("/bin/true").start();
                if (p.waitFor() != 0) {
                    throw new IOException("/bin/true failed");
                }
            }
        }, 20, quick ? 100_000_000L : 300_000_000L, budget(), 5, 1_000);
    }

    private Samples processSignalWait() throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        try (OutputStream toChild = cat.getOutputStream(); InputStream fromChild = cat.getInputStream()) {
            return Measure.sample(size -> {
                for (int i = 0; i < size; i++) {
                    toChild.write('x');
                    toChild.flush();
                    if (fromChild.read() < 0) {
                        throw new IOException("the cat child process ended");
                    }
                }
            }, 1_000, warm(), budget(), 5, 10_000);
        } finally {
            cat.destroy();
            cat.waitFor();
        }
    }

    /**
     * Reads the rows a child process printed, one per line: {@code row <operation> <ns per op>...} (the Java child
     * of {@link #main} and the Go peer print the same format).
     *
     * @param output what the child printed
     * @param column the column the rows belong to
     * @return the rows, in order
     */
    static List<Row> parseRows(String output, String column) {
        List<Row> rows = new ArrayList<>();
        for (String line : output.lines().toList()) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && f[0].equals("row")) {
                double[] samples = new double[f.length - 2];
                for (int i = 2; i < f.length; i++) {
                    samples[i - 2] = Double.parseDouble(f[i]);
                }
                rows.add(new Row(f[1], column, new Samples(samples)));
            }
        }
        return rows;
    }

    /** Rows by operation and column. */
    static Map<String, Map<String, Row>> byOperation(List<Row> rows) {
        Map<String, Map<String, Row>> table = new LinkedHashMap<>();
        for (Row r : rows) {
            table.computeIfAbsent(r.operation(), k -> new LinkedHashMap<>()).put(r.runtime(), r);
        }
        return table;
    }

    /** A strand body that does nothing, shared so that null fork measures no lambda allocation. */
    enum Nothing implements Runnable {
        INSTANCE;

        @Override
        public void run() {
        }
    }
}
