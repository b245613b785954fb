package io.github.hilos.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hilos attack}: server-kit's servers under hostile clients, each server in a JVM of its own (started by
 * {@code hilos serve}). For each organization and each kind of attack (chunk extensions, stalled bodies, clients
 * that never read a 60 MiB download, bodies trickled a byte at a time), N attacking connections (100) run while a
 * fresh client sends 100 GETs, each on a new connection: its p50 and p99, and the server's live heap after a full
 * GC (read with {@code jcmd}), against the targets. An attacker the server cuts connects again after 100 ms (p99 under 100 ms; live heap under 64 MB plus 64 KB per open
 * connection). Then 20 downloads of the 60 MiB file, each followed by late client bytes while it is read, must all
 * arrive whole.
 */
final class AttackCommand {

    private static final int BIG = 60 << 20;
    private static final List<String> KINDS = List.of("chunk-extensions", "stalled-bodies", "never-reading",
            "trickled-bodies");

    private AttackCommand() {
    }

    static void run(List<String> options, PrintStream out, PrintStream err) throws Exception {
        Args args = new Args("attack", options, Set.of("--org", "--runtime", "--connections", "--downloads"));
        List<String> known = List.of("thread-per-connection", "dispatcher-worker", "one-dispatcher", "state-table");
        List<String> orgs = args.all("--org").isEmpty() ? known : args.all("--org");
        for (String org : orgs) {
            if (!known.contains(org)) {
                throw new Hilos.UsageException("attack --org: '" + org + "' is not one of " + String.join(", ", known)
                        + " (the iterative server is blocked by one client by design)");
            }
        }
        String runtime = args.oneOf("--runtime", "hybrid", List.of("hybrid", "ult", "jdk-virtual", "klt"));
        int connections = args.positiveInt("--connections", 100);
        int downloads = args.positiveInt("--downloads", 20);
        Path root = Files.createTempDirectory("hilos-attack");
        try {
            Files.write(root.resolve("big.bin"), new byte[BIG]);
            Files.writeString(root.resolve("small.txt"), "small\n");
            out.printf(Locale.ROOT, "%-22s %-17s %9s %9s %12s %12s%n", "organization", "attack", "p50 ms", "p99 ms",
                    "live heap MB", "target MB");
            for (String org : orgs) {
                boolean files = !org.equals("state-table"); // its file server lives in `hilos servers`
                List<String> serve = files
                        ? List.of("files", "--org", org, "--runtime", runtime, "--port", "0", "--root", root.toString())
                        : List.of("http", "--org", org, "--runtime", runtime, "--port", "0");
                try (ChildServer server = ChildServer.start(org, "2g", serve)) {
                    String path = files ? "/small.txt" : "/";
                    for (String kind : KINDS) {
                        if (kind.equals("never-reading") && !files) {
                            out.printf(Locale.ROOT, "%-22s %-17s %s%n", org, kind,
                                    "skipped: no file server on the state table here");
                            continue;
                        }
                        err.print("\r\u001b[K" + org + ": " + kind + " ...");
                        AtomicBoolean stop = new AtomicBoolean();
                        List<Thread> attackers = new ArrayList<>();
                        for (int i = 0; i < connections; i++) {
                            attackers.add(Thread.ofPlatform().daemon().start(() -> attack(kind, server.address(),
                                    stop)));
                        }
                        Thread.sleep(2000);
                        long[] micros = freshClient(server.address(), path, 100);
                        double heap = liveHeapMb(server.pid());
                        stop.set(true);
                        for (Thread t : attackers) {
                            t.interrupt();
                            t.join(5000);
                        }
                        err.print("\r\u001b[K");
                        double target = 64 + 64.0 * connections / 1024;
                        out.printf(Locale.ROOT, "%-22s %-17s %9.1f %9.1f %12.1f %12.1f%s%n", org, kind,
                                micros[50] / 1e3, micros[98] / 1e3, heap, target,
                                micros[98] > 100_000 || heap > target ? "  (over a target)" : "");
                        Thread.sleep(1500); // attackers' connections end and the server settles
                    }
                    if (files) {
                        int whole = 0;
                        for (int i = 0; i < downloads; i++) {
                            if (downloadWithLateBytes(server.address())) {
                                whole++;
                            }
                        }
                        out.printf(Locale.ROOT, "%-22s %-17s %d of %d downloads of 60 MiB whole, late bytes sent%n",
                                org, "truncation", whole, downloads);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(root.resolve("big.bin"));
            Files.deleteIfExists(root.resolve("small.txt"));
            Files.deleteIfExists(root);
        }
    }

    private static final byte[] EXTENSION_CHUNK = ("1;" + "e".repeat(3900) + "=v\r\nA\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    /** One attacking client: connects, attacks until the server ends the connection, and again, until stopped. */
    private static void attack(String kind, InetSocketAddress at, AtomicBoolean stop) {
        while (!stop.get()) {
            try (Socket s = new Socket()) {
                s.connect(at, 5000);
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                switch (kind) {
                    case "chunk-extensions" -> {
                        out.write(ascii("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
                        while (!stop.get()) {
                            out.write(EXTENSION_CHUNK); // a chunk line of 3 900 bytes of extension every 10 ms
                            Thread.sleep(10);
                        }
                    }
                    case "stalled-bodies" -> {
                        out.write(ascii("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n"));
                        out.write(new byte[512 * 1024]);
                        waitOrRead(s, stop);
                    }
                    case "never-reading" -> {
                        out.write(ascii("GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n"));
                        while (!stop.get()) {
                            Thread.sleep(100); // never reads a byte of the answer
                        }
                    }
                    case "trickled-bodies" -> {
                        out.write(ascii("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n"));
                        out.write(new byte[1_000_000]);
                        while (!stop.get()) {
                            out.write('x');
                            out.flush();
                            Thread.sleep(10);
                        }
                    }
                    default -> throw new IllegalArgumentException(kind);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException cutByTheServer) {
                // the server ended it (a limit, a timeout): attack again, after a pause, so that the attack stays
                // about N open connections rather than becoming a flood of new ones
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until stopped, or until the server answers or closes (then the attacker reconnects). */
    private static void waitOrRead(Socket s, AtomicBoolean stop) throws IOException, InterruptedException {
        s.setSoTimeout(100);
        InputStream in = s.getInputStream();
        byte[] sink = new byte[4096];
        while (!stop.get()) {
            try {
                if (in.read(sink) < 0) {
                    return;
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // still stalled
            }
        }
    }

    /** Sends {@code n} GETs, each on a new connection, and returns their latencies in µs, sorted. */
    private static long[] freshClient(InetSocketAddress at, String path, int n) throws InterruptedException {
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(at, 10_000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(ascii("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
                s.getInputStream().readAllBytes();
                micros[i] = (System.nanoTime() - t0) / 1000;
            } catch (IOException e) {
                micros[i] = 10_000_000; // failed: counted as the 10 s timeout
            }
            Thread.sleep(10);
        }
        Arrays.sort(micros);
        return micros;
    }

    /**
     * The server's live heap after a full GC, through jcmd (a JDK tool, next to this java): the bytes of the live
     * objects its class histogram lists (the histogram runs a full GC first), without G1's filler objects, which are
     * the unused tails of regions, not data.
     */
    private static double liveHeapMb(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String histogram = run(jcmd.toString(), Long.toString(pid), "GC.class_histogram");
        long bytes = 0;
        Matcher row = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)").matcher(histogram);
        while (row.find()) {
            if (!row.group(2).contains("FillerElement") && !row.group(2).contains("FillerArray")) {
                bytes += Long.parseLong(row.group(1));
            }
        }
        return bytes / (1024.0 * 1024.0);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /**
     * Downloads the 60 MiB file with {@code Connection: close}, sending a few bytes more once a megabyte has come
     * (a client that pipelines, or a proxy's probe): the server must drain them, not reset the connection and lose
     * the end of the response.
     */
    private static boolean downloadWithLateBytes(InetSocketAddress at) {
        try (Socket s = new Socket()) {
            s.connect(at, 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(ascii("GET /big.bin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            boolean late = false;
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (!late && total > (1 << 20)) {
                    s.getOutputStream().write(ascii("GET /small.txt HTTP/1.1\r\nHost: a\r\n\r\n"));
                    late = true;
                }
            }
            return total >= BIG && total < BIG + 4096; // the body and its head, no more
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
