package io.github.hilos.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server run by {@code hilos serve} in a JVM of its own, for the commands that load one from outside
 * ({@code http}, {@code attack}): started, asked where it listens (its first line), and stopped gracefully (SIGTERM)
 * when closed, or killed if it does not stop. A shutdown hook kills it if this JVM ends first (Ctrl-C).
 */
final class ChildServer implements AutoCloseable {

    private final Process process;
    private final Thread killer;
    private final InetSocketAddress address;

    private ChildServer(Process process, Thread killer, InetSocketAddress address) {
        this.process = process;
        this.killer = killer;
        this.address = address;
    }

    /**
     * Starts {@code hilos serve} with {@code serveArgs} and the heap given.
     *
     * @param name how errors name it
     * @param maxHeap the child's {@code -Xmx}, such as {@code 2g}
     * @param serveArgs the arguments after {@code serve}
     * @return the running server
     * @throws Exception if it does not start or say where it listens within 60 s
     */
    static ChildServer start(String name, String maxHeap, List<String> serveArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xms512m", "-Xmx" + maxHeap, "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Hilos.class.getName(), "serve"));
        command.addAll(serveArgs);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread killChild = new Thread(child::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killChild);
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first;
        try {
            first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            stop(child, killChild);
            throw new IllegalStateException(name + " did not say where it listens within 60 s");
        }
        Matcher m = first == null ? null : Pattern.compile("listening on ([^ ;]+):(\\d+)").matcher(first);
        if (m == null || !m.find()) {
            stop(child, killChild);
            throw new IllegalStateException(name + " did not start: " + first);
        }
        return new ChildServer(child, killChild, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
    }

    InetSocketAddress address() {
        return address;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        stop(process, killer);
    }

    private static void stop(Process child, Thread killer) throws InterruptedException {
        child.destroy(); // SIGTERM: the server shuts down gracefully
        if (!child.waitFor(15, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs
        }
    }
}
