package io.github.hilos.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        Path dir = null;
        try {
            Path go = PathCommands.find("go");
            if (go == null) {
                return new Result(List.of(), "go: not installed (Debian: apt install golang-go); Go's columns skipped");
            }
            dir = Files.createTempDirectory("hilos-go-peer");
            Path source = dir.resolve("peers.go");
            try (InputStream in = GoPeer.class.getResourceAsStream("peers.go")) {
                if (in == null) {
                    throw new IOException("peers.go is missing from the hilos jar");
                }
                Files.copy(in, source);
            }
            Path binary = dir.resolve("peers");
            run(new ProcessBuilder(go.toString(), "build", "-o", binary.toString(), source.toString())
                    .directory(dir.toFile()).redirectErrorStream(true), dir, "go build");
            ProcessBuilder measure = new ProcessBuilder(binary.toString(), Boolean.toString(quick));
            measure.environment().put("GOMAXPROCS", "1");
            String output = run(measure, dir, "the Go measurement");
            List<ChapterTable.Row> rows = ChapterTable.parseRows(output, COLUMN);
            if (rows.size() != 2) {
                return new Result(List.of(), "go: the measurement printed no rows; Go's columns skipped: " + output);
            }
            return new Result(rows, null);
        } catch (IOException | RuntimeException e) {
            return new Result(List.of(), "go: " + e.getMessage() + "; Go's columns skipped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(List.of(), "go: interrupted; Go's columns skipped");
        } finally {
            deleteQuietly(dir);
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
