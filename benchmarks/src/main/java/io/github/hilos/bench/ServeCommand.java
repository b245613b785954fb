package io.github.hilos.bench;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.bench.http.JdkHttpHello;
import io.github.hilos.bench.http.NettyHello;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.ShutdownReport;
import io.github.hilos.server.StateMachine;
import io.github.hilos.server.examples.Examples;
import io.github.hilos.server.examples.StatefulFiles;
import io.github.hilos.server.examples.StaticFiles;
import io.github.hilos.server.http.HttpCodec;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hilos serve}: runs one of the server-kit examples (or, for the HTTP comparison, a peer) until Ctrl-C,
 * which shuts it down gracefully and prints the report.
 */
final class ServeCommand {

    static final List<String> KINDS = List.of("echo", "http", "files", "stateful-files", "netty-http", "jdk-http");

    private ServeCommand() {
    }

    /** Serves until the JVM is told to stop (Ctrl-C, SIGTERM), then shuts down gracefully before it exits. */
    static void run(List<String> options, PrintStream out, PrintStream err) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(); // let the graceful shutdown finish before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            serve(options, out, err, stop);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waited for this
            }
        }
    }

    /**
     * Serves until {@code stop} opens, then shuts down gracefully and reports.
     *
     * @param stop opened to stop serving
     * @throws Exception on bad arguments (a {@link Hilos.UsageException}) or if the server cannot start
     */
    static void serve(List<String> options, PrintStream out, PrintStream err, CountDownLatch stop) throws Exception {
        Args args = new Args("serve", options, Set.of("--runtime", "--org", "--port", "--root", "--bind",
                "--workers", "--carriers"));
        if (args.positional().size() != 1) {
            throw new Hilos.UsageException("serve needs one of " + String.join(", ", KINDS));
        }
        String kind = args.positional().get(0);
        if (!KINDS.contains(kind)) {
            throw new Hilos.UsageException("unknown server '" + kind + "'; known: " + String.join(", ", KINDS));
        }
        String runtimeName = args.oneOf("--runtime", "hybrid", Runtimes.names().stream().sorted().toList());
        String org = args.oneOf("--org", "thread-per-connection", ServerSetup.ORGANIZATIONS);
        int port = args.port("--port", 8080);
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = args.positiveInt("--workers", 64);
        InetAddress bind = InetAddress.getByName(args.text("--bind", "127.0.0.1"));
        InetSocketAddress address = new InetSocketAddress(bind, port);

        if (kind.equals("netty-http") || kind.equals("jdk-http")) {
            AutoCloseable peer;
            InetSocketAddress at;
            if (kind.equals("netty-http")) {
                NettyHello netty = new NettyHello(address, args.positiveInt("--workers", cores));
                peer = netty;
                at = netty.localAddress();
            } else {
                JdkHttpHello jdk = new JdkHttpHello(address);
                peer = jdk;
                at = jdk.localAddress();
            }
            out.println("hilos: " + kind + " listening on " + at.getAddress().getHostAddress() + ":" + at.getPort());
            out.flush();
            stop.await();
            peer.close();
            return;
        }

        RuntimeOptions runtimeOptions = RuntimeOptions.defaults();
        if (args.text("--carriers", null) != null) {
            runtimeOptions = runtimeOptions.with("carriers", Integer.toString(args.positiveInt("--carriers", cores)));
        }
        StrandRuntime rt = Runtimes.open(runtimeName, runtimeOptions);
        ServerSetup.Running server;
        try {
            server = switch (kind) {
                case "echo" -> ServerSetup.start(org, rt, address, ServerSetup.lines(), Examples.echo(),
                        StateMachine.immediate(Examples.echo()), workers, ServerLimits.DEFAULTS);
                case "http" -> ServerSetup.start(org, rt, address, HttpCodec.strict(), Examples.helloHttp(),
                        StateMachine.immediate(Examples.helloHttp()), workers, ServerLimits.DEFAULTS);
                case "files" -> {
                    if (org.equals("state-table")) {
                        throw new Hilos.UsageException("files reads the disk through blocking calls; run it under "
                                + "iterative, thread-per-connection or dispatcher-worker (`hilos servers` has a "
                                + "state-table file server with asynchronous reads)");
                    }
                    yield ServerSetup.start(org, rt, address, HttpCodec.strict(),
                            new StaticFiles(Path.of(args.text("--root", ".")), 64L << 20), null, workers,
                            ServerLimits.DEFAULTS);
                }
                case "stateful-files" -> {
                    if (org.equals("state-table") || org.equals("one-dispatcher")) {
                        throw new Hilos.UsageException("stateful-files keeps a table per connection, which "
                                + org + " cannot route; run it under iterative, thread-per-connection or "
                                + "dispatcher-worker");
                    }
                    yield ServerSetup.start(org, rt, address, ServerSetup.lines(),
                            new StatefulFiles(Path.of(args.text("--root", "."))), null, workers, ServerLimits.DEFAULTS);
                }
                default -> throw new IllegalStateException(kind);
            };
        } catch (Exception e) {
            rt.close();
            if (e instanceof java.net.BindException) {
                throw new Hilos.UsageException("cannot listen on " + address + ": " + e.getMessage()
                        + " (is the port in use? --port 0 picks a free one)");
            }
            throw e;
        }
        InetSocketAddress at = (InetSocketAddress) server.address();
        out.println("hilos: " + kind + " (" + org + " on " + runtimeName + ") listening on "
                + at.getAddress().getHostAddress() + ":" + at.getPort() + "; Ctrl-C stops it gracefully");
        out.flush();
        try {
            stop.await();
        } finally {
            ShutdownReport report = server.shutdown(Duration.ofSeconds(5));
            err.println("hilos: stopped after " + server.requests() + " requests: " + report.idleClosed()
                    + " idle connection(s) closed, " + report.finished() + " finished, "
                    + (report.clean() ? "none cut" : report.cut().size() + " cut: " + report.cut()));
            rt.close();
        }
    }
}
