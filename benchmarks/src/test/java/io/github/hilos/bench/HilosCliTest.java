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
                new String[] {"skynet", "--size", "12"}, new String[] {"skynet", "--size"})) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith("hilos: ") && r.err().contains("usage: hilos"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        assertTrue(run("skynet", "--runtime", "nope").err().contains("known runtimes: hybrid, jdk-virtual, klt, ult"));
        Result help = run("help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("table [--quick]"));
    }

    @Test
    void skynetChecksItsSumOnEveryRuntimeItRuns() {
        Result r = run("skynet", "--size", "1000", "--runtime", "ult", "--runtime", "hybrid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sum checked = 499500"), r.out());
        for (String runtime : List.of("ult", "hybrid", "jdk-virtual")) {
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
