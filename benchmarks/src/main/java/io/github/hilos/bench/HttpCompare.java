package io.github.hilos.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hilos http}: HTTP hello with keep-alive, loaded by {@code wrk} on loopback, each server in its own JVM
 * (started through {@code hilos serve}), one after the other with the same wrk settings: server-kit configurations
 * beside the Netty 4.2 NIO hello server and the JDK {@code HttpServer} on virtual threads. Prints requests/s, p99
 * and the ratios to both peers.
 */
final class HttpCompare {

    static final List<String> DEFAULT_SERVERS = List.of("netty-http", "jdk-http", "thread-per-connection:hybrid",
            "state-table:ult", "thread-per-connection:ult", "dispatcher-worker:hybrid",
            "thread-per-connection:jdk-virtual");

    private HttpCompare() {
    }

    record Result(String server, double perSecond, String p50, String p99, String errors) {
    }

    static void run(List<String> options, PrintStream out, PrintStream err) throws Exception {
        Args args = new Args("http", options, Set.of("--connections", "--threads", "--duration", "--server",
                "--chart"));
        int connections = args.positiveInt("--connections", 64);
        int threads = args.positiveInt("--threads", 2);
        Duration duration = args.duration("--duration", Duration.ofSeconds(10));
        List<String> servers = args.all("--server").isEmpty() ? DEFAULT_SERVERS : args.all("--server");
        for (String s : servers) {
            String[] parts = s.split(":");
            boolean peer = s.equals("netty-http") || s.equals("jdk-http");
            if (!peer && (parts.length != 2 || !ServerSetup.ORGANIZATIONS.contains(parts[0])
                    || !io.github.hilos.api.Runtimes.names().contains(parts[1]))) {
                throw new Hilos.UsageException("--server takes netty-http, jdk-http or organization:runtime "
                        + "(for example thread-per-connection:hybrid): '" + s + "'");
            }
        }
        String wrk = findWrk();
        if (wrk == null) {
            throw new IllegalStateException("hilos http needs wrk on the PATH; install it from the system's packages "
                    + "(Debian and Ubuntu: apt-get install wrk)");
        }
        out.printf(Locale.ROOT, "HTTP hello, keep-alive: wrk -t%d -c%d -d%s (after a warm-up of a third of that), "
                + "each server in its own JVM, one after the other%n", threads, connections,
                ServersExperiment.human(duration));
        List<Result> results = new ArrayList<>();
        for (String server : servers) {
            err.print("\r\u001b[Kmeasuring " + server + " ...");
            results.add(measure(server, wrk, threads, connections, duration));
        }
        err.print("\r\u001b[K");
        double netty = results.stream().filter(r -> r.server().equals("netty-http")).mapToDouble(Result::perSecond)
                .findFirst().orElse(Double.NaN);
        double jdk = results.stream().filter(r -> r.server().equals("jdk-http")).mapToDouble(Result::perSecond)
                .findFirst().orElse(Double.NaN);
        out.printf(Locale.ROOT, "%-36s %12s %10s %10s %9s %9s  %s%n", "server", "requests/s", "p50", "p99",
                "x Netty", "x JDK", "errors");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-36s %12.0f %10s %10s %9s %9s  %s%n", r.server(), r.perSecond(), r.p50(),
                    r.p99(), ratio(r.perSecond(), netty), ratio(r.perSecond(), jdk), r.errors());
        }
        Result best = results.stream().filter(r -> r.server().contains(":") && r.errors().equals("none"))
                .max(java.util.Comparator.comparingDouble(Result::perSecond)).orElse(null);
        if (best != null) {
            out.printf(Locale.ROOT, "%nbest server-kit configuration: %s, %sx Netty (target >= 1), %sx the JDK "
                    + "HttpServer (target >= 1.5)%n", best.server(), ratio(best.perSecond(), netty),
                    ratio(best.perSecond(), jdk));
        }
        String chart = args.text("--chart", null);
        if (chart != null) {
            Files.writeString(Path.of(chart), SvgBars.render("HTTP hello, keep-alive, wrk -c" + connections,
                    "requests per second", results.stream().map(r -> new SvgBars.Bar(r.server(), r.perSecond(),
                            String.format(Locale.ROOT, "%.0f/s", r.perSecond()))).toList()));
            err.println("chart written to " + chart);
        }
    }

    /** A ratio with two decimals, or "-" when the peer was not measured. */
    private static String ratio(double value, double peer) {
        return Double.isNaN(peer) ? "-" : String.format(Locale.ROOT, "%.2f", value / peer);
    }

    private static String findWrk() {
        Path wrk = PathCommands.find("wrk");
        return wrk == null ? null : wrk.toString();
    }

    private static Result measure(String server, String wrk, int threads, int connections, Duration duration)
            throws Exception {
        List<String> serve = new ArrayList<>();
        if (server.contains(":")) {
            String[] parts = server.split(":");
            serve.addAll(List.of("http", "--org", parts[0], "--runtime", parts[1], "--port", "0"));
        } else {
            serve.addAll(List.of(server, "--port", "0"));
        }
        try (ChildServer child = ChildServer.start(server, "2g", serve)) {
            String url = "http://" + child.address().getHostString() + ":" + child.address().getPort() + "/";
            wrk(wrk, threads, connections, duration.dividedBy(3), url); // warm-up: JIT, connections, pools
            String report = wrk(wrk, threads, connections, duration, url);
            return parse(server, report);
        }
    }

    private static String wrk(String wrk, int threads, int connections, Duration d, String url)
            throws IOException, InterruptedException {
        long seconds = Math.max(1, d.toSeconds());
        Process p = new ProcessBuilder(wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency", url)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    static Result parse(String server, String report) {
        Matcher rps = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(report);
        if (!rps.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's report: " + report);
        }
        String p50 = find(report, "\\n\\s+50%\\s+(\\S+)");
        String p99 = find(report, "\\n\\s+99%\\s+(\\S+)");
        List<String> errors = new ArrayList<>();
        Matcher socket = Pattern.compile("Socket errors: (.*)").matcher(report);
        if (socket.find()) {
            errors.add("socket errors: " + socket.group(1).strip());
        }
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(report);
        if (non2xx.find()) {
            errors.add(non2xx.group(1) + " non-2xx");
        }
        return new Result(server, Double.parseDouble(rps.group(1)), p50, p99,
                errors.isEmpty() ? "none" : String.join(", ", errors));
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "?";
    }
}
