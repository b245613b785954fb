package io.github.hilos.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Go as a peer of the table: the same two operations as goroutines and unbuffered channels (the program is a
 * resource of this module, {@code peers.go}), built with the {@code go} on the {@code PATH} (Debian's
 * {@code golang-go}) and run with {@code GOMAXPROCS=1}, the one-carrier peer of {@code ult}. Optional: without
 * {@code go}, {@link #measure} says why and the table goes on without it.
 */
final class GoPeer {

    /** The column name of Go's rows. */
    static final String COLUMN = "go-1";

    private GoPeer() {
    }

    /** Go's rows, or a note (and no rows) when Go is not installed or its run fails. */
    record Result(List<ChapterTable.Row> rows, String note) {
    }

    static Result measure(boolean quick) {
        Program p = Program.run("peers.go", Map.of("GOMAXPROCS", "1"), Boolean.toString(quick));
        if (p.note() != null) {
            return new Result(List.of(), p.note());
        }
        List<ChapterTable.Row> rows = ChapterTable.parseRows(p.output(), COLUMN);
        if (rows.size() != 2) {
            return new Result(List.of(), "go: the measurement printed no rows; Go's columns skipped: " + p.output());
        }
        return new Result(rows, null);
    }

    /**
     * Skynet in Go (the original program, goroutines and unbuffered channels, every core).
     *
     * @param size the number of leaves, a power of 10
     * @return the best of three runs in milliseconds and the sum, or a note why Go was not measured
     */
    static Skynet skynet(int size) {
        Program p = Program.run("skynet.go", Map.of(), Integer.toString(size));
        if (p.note() != null) {
            return new Skynet(Double.NaN, -1, p.note());
        }
        double ms = Double.NaN;
        long sum = -1;
        for (String line : p.output().lines().toList()) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && f[0].equals("ms")) {
                ms = Double.parseDouble(f[1]);
            } else if (f.length == 2 && f[0].equals("sum")) {
                sum = Long.parseLong(f[1]);
            }
        }
        return new Skynet(ms, sum, Double.isNaN(ms) ? "go: skynet printed no time: " + p.output() : null);
    }

    /** Go's skynet: milliseconds (best of 3) and the sum, or a note. */
    record Skynet(double millis, long sum, String note) {
    }

    /** A Go program of this module's resources, built and run once; its output, or a note why not. */
    private record Program(String output, String note) {

        static Program run(String resource, Map<String, String> env, String... args) {
            Path dir = null;
            try {
                Path go = PathCommands.find("go");
                if (go == null) {
                    return new Program(null, "go: not installed (Debian: apt install golang-go); Go's figures skipped");
                }
                dir = Files.createTempDirectory("hilos-go-peer");
                Path source = dir.resolve(resource);
                try (InputStream in = GoPeer.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException(resource + " is missing from the hilos jar");
                    }
                    Files.copy(in, source);
                }
                Path binary = dir.resolve("peer");
                GoPeer.run(new ProcessBuilder(go.toString(), "build", "-o", binary.toString(), source.toString())
                        .directory(dir.toFile()), dir, "go build");
                List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
                command.addAll(List.of(args));
                ProcessBuilder measure = new ProcessBuilder(command);
                measure.environment().putAll(env);
                return new Program(GoPeer.run(measure, dir, "the Go program " + resource), null);
            } catch (IOException | RuntimeException e) {
                return new Program(null, "go: " + e.getMessage() + "; Go's figures skipped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Program(null, "go: interrupted; Go's figures skipped");
            } finally {
                deleteQuietly(dir);
            }
        }
    }

    private static String run(ProcessBuilder pb, Path dir, String what) throws IOException, InterruptedException {
        if (!pb.environment().containsKey("HOME") && !pb.environment().containsKey("GOCACHE")) {
            pb.environment().put("GOCACHE", dir.resolve("cache").toString()); // go needs a cache directory
        }
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(what + " failed: " + output.strip());
        }
        return output;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory left behind is harmless
        }
    }
}
