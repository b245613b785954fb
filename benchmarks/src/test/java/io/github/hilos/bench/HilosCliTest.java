package io.github.hilos.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: its output shapes and its answers to bad arguments (no figures are asserted). */
class HilosCliTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Hilos.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badArgumentsGetAMessageAndTheUsageNeverAStackTrace() {
        for (String[] args : List.of(new String[] {"tabel"}, new String[] {"table", "--fast"},
                new String[] {"memory", "--strands", "0"},
                new String[] {"table", "--chart"}, new String[] {"skynet", "--runtime", "nope"},
                new String[] {"skynet", "--size", "12"}, new String[] {"skynet", "--size"},
                new String[] {"skynet", "--runtime", "klt:lifo"}, new String[] {"skynet", "--runtime", "ult:sideways"},
                new String[] {"serve"}, new String[] {"serve", "gopher"}, new String[] {"serve", "http", "--org", "x"},
                new String[] {"serve", "http", "--port", "70000"}, new String[] {"serve", "http", "--runtime", "nope"},
                new String[] {"serve", "files", "--org", "state-table", "--port", "0"},
                new String[] {"serve", "stateful-files", "--org", "one-dispatcher", "--port", "0"},
                new String[] {"servers", "--disk-latency", "soon"}, new String[] {"servers", "--hit-ratio", "2"},
                new String[] {"servers", "--org", "nope"}, new String[] {"servers", "--duration", "10ms"},
                new String[] {"http", "--server", "nginx"}, new String[] {"http", "--connections", "-1"},
                new String[] {"fanout", "--tasks", "0"}, new String[] {"fanout", "--runtime", "green"})) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith("hilos: ") && r.err().contains("usage: hilos"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        assertTrue(run("skynet", "--runtime", "nope").err().contains("known runtimes: hybrid, jdk-virtual, klt, sim, ult"));
        assertTrue(run("skynet", "--runtime", "ult:sideways").err().contains("unknown policy 'sideways'"));
        Result help = run("help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("table [--quick]"));
    }

    @Test
    void theServerExperimentMeasuresEachOrganizationAndChecksTheClaim() throws Exception {
        Path chart = Files.createTempFile("servers", ".svg");
        try {
            Result r = run("servers", "--runtime", "ult", "--org", "iterative", "--org", "state-table",
                    "--duration", "300ms", "--clients", "8", "--chart", chart.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("iterative              ult"), r.out());
            assertTrue(r.out().contains("state-table        on ult"), r.out());
            assertTrue(Files.readString(chart).startsWith("<svg"));
        } finally {
            Files.deleteIfExists(chart);
        }
    }

    @Test
    void fanOutChecksItsSumAndComparesToUlt() {
        Result r = run("fanout", "--tasks", "8", "--rounds", "1000", "--runtime", "ult", "--runtime", "hybrid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("x the time on ult"), r.out());
        assertTrue(r.out().contains("hybrid takes"), r.out());
    }

    @Test
    void attackReportsEveryKindAndTheDownloads() {
        Result r = run("attack", "--org", "one-dispatcher", "--connections", "3", "--downloads", "1");
        assertEquals(0, r.code(), r.err());
        for (String kind : List.of("chunk-extensions", "stalled-bodies", "never-reading", "trickled-bodies")) {
            assertTrue(r.out().contains("one-dispatcher         " + kind), r.out());
        }
        assertTrue(r.out().contains("1 of 1 downloads of 60 MiB whole"), r.out());
        assertEquals(2, run("attack", "--org", "iterative").code(), "the iterative server is refused");
    }

    @Test
    void simulateReportsRatesAndReplays() {
        Result r = run("simulate", "--schedules", "200");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("schedules/s"), r.out());
        assertTrue(r.out().contains("sim/ult"), r.out());
        assertTrue(r.out().contains("of 100 identical"), r.out());
        assertTrue(r.out().contains(": 100 of 100 identical"), "replays are identical: " + r.out());
    }

    @Test
    void serveListensAnswersAndStopsGracefully() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Thread serving = Thread.ofPlatform().start(() -> {
            try {
                ServeCommand.serve(List.of("echo", "--runtime", "ult", "--org", "state-table", "--port", "0"),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8), stop);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Matcher port = null;
        for (long until = System.nanoTime() + 30_000_000_000L; port == null || !port.find(); ) {
            assertTrue(System.nanoTime() < until, "never listened: " + out);
            Thread.sleep(10);
            port = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(out.toString(StandardCharsets.UTF_8));
        }
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", Integer.parseInt(port.group(1)))) {
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello", new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.UTF_8)).readLine());
        }
        stop.countDown();
        serving.join(30_000);
        assertFalse(serving.isAlive());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("stopped after 1 requests"), err.toString());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = java.util.stream.LongStream.rangeClosed(1, 100).toArray();
        assertEquals(50, ServersExperiment.percentile(hundred, 0.50));
        assertEquals(99, ServersExperiment.percentile(hundred, 0.99));
        assertEquals(7, ServersExperiment.percentile(new long[] {7}, 0.99));
    }

    @Test
    void httpParsesWrksReport() {
        String report = """
                Running 3s test @ http://127.0.0.1:1/
                  2 threads and 64 connections
                  Latency Distribution
                     50%  373.00us
                     75%    1.00ms
                     90%    2.00ms
                     99%    7.94ms
                  339444 requests in 3.00s, 28.49MB read
                  Socket errors: connect 0, read 2, write 0, timeout 0
                Requests/sec: 113148.12
                Transfer/sec:      9.50MB
                """;
        HttpCompare.Result r = HttpCompare.parse("netty-http", report);
        assertEquals(113148.12, r.perSecond(), 0.001);
        assertEquals("373.00us", r.p50());
        assertEquals("7.94ms", r.p99());
        assertEquals("socket errors: connect 0, read 2, write 0, timeout 0", r.errors());
    }

    @Test
    void skynetChecksItsSumOnEveryRuntimeItRuns() {
        Result r = run("skynet", "--size", "1000", "--runtime", "ult", "--runtime", "ult:lifo", "--runtime", "hybrid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sum checked = 499500"), r.out());
        for (String runtime : List.of("ult", "ult:lifo", "hybrid", "jdk-virtual")) {
            assertTrue(Pattern.compile("(?m)^" + runtime + " +[0-9.]+ ms").matcher(r.out()).find(), r.out());
        }
    }

    @Test
    void memoryProbesEachRuntimeInItsOwnJvm() {
        Result r = run("memory", "--strands", "10000");
        assertEquals(0, r.code(), r.err());
        for (String runtime : List.of("ult", "hybrid", "jdk-virtual")) {
            assertTrue(Pattern.compile("(?m)^" + runtime + " +-?[0-9]+ bytes$").matcher(r.out()).find(), r.out());
        }
        assertEquals(2, run("memory", "--strands", "none").code());
        assertEquals(2, run("memory", "--threads", "5").code());
    }

    @Test
    void theQuickTableHasEveryCellAsJsonAndAChart() throws Exception {
        Path chart = Files.createTempFile("hilos-table", ".svg");
        try {
            Result r = run("table", "--quick", "--json", "--chart", chart.toString());
            assertEquals(0, r.code(), r.err());
            String json = r.out().trim();
            assertTrue(json.startsWith("{\"machine\":{\"cpu\":") && json.endsWith("]}"), json);
            for (String op : List.of("null-fork", "signal-wait")) {
                for (String rt : ChapterTable.COLUMNS) {
                    Matcher m = Pattern.compile("\\{\"operation\":\"" + op + "\",\"runtime\":\"" + rt
                            + "\",\"median_ns\":([0-9.]+),\"min_ns\":([0-9.]+),\"max_ns\":([0-9.]+),\"samples\":([0-9]+)}")
                            .matcher(json);
                    assertTrue(m.find(), op + " on " + rt + " in " + json);
                    double median = Double.parseDouble(m.group(1));
                    assertTrue(Double.parseDouble(m.group(2)) <= median && median <= Double.parseDouble(m.group(3)));
                    assertTrue(Integer.parseInt(m.group(4)) >= 5);
                }
            }
            String svg = Files.readString(chart);
            assertTrue(svg.startsWith("<svg") && svg.contains("1991 KLT") && svg.contains("signal-wait"), svg);
        } finally {
            Files.deleteIfExists(chart);
        }
    }
}
