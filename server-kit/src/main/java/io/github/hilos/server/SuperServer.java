package io.github.hilos.server;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.Channels;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The chapter's super-server, as inetd: it listens on several ports, each naming a service, and starts a handler
 * per connection: a new strand running Java code, or a new process whose standard input and output are bridged
 * to the socket (inetd's {@code nowait} services). Each service has caps on its running instances, on connections
 * from one source, and on its connection rate; a connection over a cap is closed at once and counted, and the
 * service goes on.
 *
 * <pre>{@code
 * SuperServer inetd = SuperServer.on(runtime)
 *         .strandService("echo", new InetSocketAddress(7007), SuperServer.Caps.DEFAULTS, socket -> { ... })
 *         .processService("upper", new InetSocketAddress(7008), SuperServer.Caps.DEFAULTS,
 *                 List.of("tr", "a-z", "A-Z"))
 *         .start();
 * }</pre>
 *
 * <p>A process is started through {@link Jacket#call}; its pipes are served by two JDK virtual threads that hand
 * the bytes to the bridging strands through channels, so on user-level runtimes only those strands wait, and the
 * shared jacket pool is not held for the life of a connection. A process's standard error is discarded; when the
 * client half-closes, the process's input is closed; when the process closes its output, the socket's output is;
 * the connection ends when the process has exited. A process silent for 30 s after its client's input ended is
 * destroyed, and closing the super-server destroys every process it started.
 */
public final class SuperServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.hilos.server");

    /**
     * The caps of one service.
     *
     * @param maxInstances handlers running at once
     * @param maxPerSource connections at once from one remote address
     * @param maxPerMinute connections accepted per minute (a sliding window); inetd's {@code cpm}
     */
    public record Caps(int maxInstances, int maxPerSource, int maxPerMinute) {

        /** 64 instances, 16 per source, 600 a minute. */
        public static final Caps DEFAULTS = new Caps(64, 16, 600);

        /**
         * Checks the caps.
         *
         * @throws IllegalArgumentException on a non-positive cap, naming it
         */
        public Caps {
            if (maxInstances <= 0 || maxPerSource <= 0 || maxPerMinute <= 0) {
                throw new IllegalArgumentException("caps must be positive: instances " + maxInstances
                        + ", per source " + maxPerSource + ", per minute " + maxPerMinute);
            }
        }
    }

    /** Java code serving one connection in its own strand; the connection is closed when it returns. */
    @FunctionalInterface
    public interface ConnectionHandler {
        /**
         * Serves the connection.
         *
         * @param connection the client's socket
         * @throws Exception on failure (logged; the connection is closed)
         */
        void serve(StrandSocket connection) throws Exception;
    }

    /** A process service's command: the super-server bridges it itself (it needs the runtime). */
    private record ProcessCommand(List<String> command) implements ConnectionHandler {
        @Override
        public void serve(StrandSocket connection) {
            throw new IllegalStateException("bridged by the super-server");
        }
    }

    /**
     * A service's counters.
     *
     * @param served connections handed to a handler
     * @param refused connections closed at once by a cap
     * @param running handlers running now
     */
    public record ServiceStats(long served, long refused, int running) {
    }

    private final StrandRuntime runtime;
    private final List<Service> services;
    private final TrackedStrands strands = new TrackedStrands();
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    private final class Service {
        final String name;
        final SocketAddress address;
        final Caps caps;
        final ConnectionHandler handler;
        StrandServerSocket listener;
        final AtomicInteger running = new AtomicInteger();
        /** Connections per remote address; changed only by atomic {@code merge}/{@code computeIfPresent}. */
        final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
        /** Accept times of the last minute, oldest first; the acceptor strand only. */
        final java.util.ArrayDeque<Long> window = new java.util.ArrayDeque<>();
        final LongAdder served = new LongAdder();
        final LongAdder refused = new LongAdder();
        final Set<StrandSocket> open = ConcurrentHashMap.newKeySet();

        Service(String name, SocketAddress address, Caps caps, ConnectionHandler handler) {
            this.name = name;
            this.address = address;
            this.caps = caps;
            this.handler = handler;
        }
    }

    /** Collects the services of a super-server. */
    public static final class Builder {
        private final StrandRuntime runtime;
        private final Map<String, Object[]> services = new LinkedHashMap<>();

        private Builder(StrandRuntime runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
        }

        /**
         * Adds a service served by a new strand per connection.
         *
         * @param name the service's name (unique)
         * @param address where it listens
         * @param caps its caps
         * @param handler what serves a connection
         * @return this builder
         */
        public Builder strandService(String name, SocketAddress address, Caps caps, ConnectionHandler handler) {
            add(name, address, caps, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Adds a service served by a new process per connection, its standard input and output bridged to the
         * socket.
         *
         * @param name the service's name (unique)
         * @param address where it listens
         * @param caps its caps
         * @param command the program and its arguments
         * @return this builder
         */
        public Builder processService(String name, SocketAddress address, Caps caps, List<String> command) {
            List<String> cmd = List.copyOf(command);
            if (cmd.isEmpty()) {
                throw new IllegalArgumentException("service " + name + ": empty command");
            }
            add(name, address, caps, new ProcessCommand(cmd));
            return this;
        }

        private void add(String name, SocketAddress address, Caps caps, ConnectionHandler handler) {
            Objects.requireNonNull(name, "name");
            if (services.containsKey(name)) {
                throw new IllegalArgumentException("service " + name + " is defined twice");
            }
            services.put(name, new Object[] {Objects.requireNonNull(address, "address"),
                    Objects.requireNonNull(caps, "caps"), handler});
        }

        /**
         * Binds every port and starts accepting.
         *
         * @return the running super-server
         * @throws Exception if a port cannot be bound (the ones already bound are closed)
         */
        public SuperServer start() throws Exception {
            if (services.isEmpty()) {
                throw new IllegalStateException("a super-server needs at least one service");
            }
            return new SuperServer(runtime, services);
        }
    }

    /**
     * Starts describing a super-server on {@code runtime}.
     *
     * @param runtime the runtime its strands run on
     * @return a builder
     */
    public static Builder on(StrandRuntime runtime) {
        return new Builder(runtime);
    }

    private SuperServer(StrandRuntime runtime, Map<String, Object[]> definitions) throws Exception {
        this.runtime = runtime;
        List<Service> all = new ArrayList<>();
        try {
            for (Map.Entry<String, Object[]> d : definitions.entrySet()) {
                Object[] v = d.getValue();
                Service s = new Service(d.getKey(), (SocketAddress) v[0], (Caps) v[1], (ConnectionHandler) v[2]);
                s.listener = runtime.run(() -> StrandServerSocket.bind(s.address, 256));
                all.add(s);
            }
        } catch (Exception e) {
            for (Service s : all) {
                s.listener.close();
            }
            throw e;
        }
        this.services = List.copyOf(all);
        for (Service s : services) {
            spawnTracked("inetd-" + s.name, () -> acceptLoop(s));
        }
    }

    /** Starts a strand the super-server waits for when it closes; it leaves the set when it ends. */
    private void spawnTracked(String name, Runnable task) {
        strands.spawn(runtime, name, task);
    }

    private void acceptLoop(Service s) {
        AcceptBackoff backoff = new AcceptBackoff("service " + s.name);
        while (!closing) {
            StrandSocket connection;
            try {
                connection = s.listener.accept();
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                // out of file descriptors, say: back off and accept again once the cause is gone
                try {
                    Strand.sleep(backoff.failed(e));
                } catch (InterruptedException stop) {
                    return;
                }
                continue;
            }
            backoff.succeeded();
            InetAddress source;
            try {
                source = connection.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress()
                        : InetAddress.getLoopbackAddress();
            } catch (IOException e) {
                closeQuietly(connection);
                continue;
            }
            if (!admit(s, source)) {
                s.refused.increment();
                closeQuietly(connection);
                continue;
            }
            s.served.increment();
            s.open.add(connection);
            try {
                spawnTracked(s.name + "-handler", () -> {
                    try (connection) {
                        if (s.handler instanceof ProcessCommand p) {
                            bridgeProcess(p.command(), connection);
                        } else {
                            s.handler.serve(connection);
                        }
                    } catch (Exception e) {
                        if (!closing) {
                            LOG.log(System.Logger.Level.DEBUG, "service " + s.name + ": handler failed: " + e);
                        }
                    } finally {
                        s.open.remove(connection);
                        release(s, source);
                    }
                });
            } catch (RuntimeException e) {
                s.open.remove(connection);
                release(s, source);
                closeQuietly(connection);
                LOG.log(System.Logger.Level.ERROR, "service " + s.name + ": could not start a handler", e);
            }
        }
    }

    /** The caps, checked by the acceptor strand; instances and sources are released by the handlers. */
    private static boolean admit(Service s, InetAddress source) {
        long now = System.nanoTime();
        long minute = Duration.ofMinutes(1).toNanos();
        while (!s.window.isEmpty() && now - s.window.peekFirst() >= minute) {
            s.window.pollFirst();
        }
        if (s.window.size() >= s.caps.maxPerMinute()) {
            return false;
        }
        if (s.running.incrementAndGet() > s.caps.maxInstances()) {
            s.running.decrementAndGet();
            return false;
        }
        if (s.perSource.merge(source, 1, Integer::sum) > s.caps.maxPerSource()) {
            s.perSource.computeIfPresent(source, (a, n) -> n == 1 ? null : n - 1);
            s.running.decrementAndGet();
            return false;
        }
        s.window.addLast(now);
        return true;
    }

    private static void release(Service s, InetAddress source) {
        s.perSource.computeIfPresent(source, (a, n) -> n == 1 ? null : n - 1);
        s.running.decrementAndGet();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** How long a process may stay silent once its client's input has ended, before it is destroyed. */
    static final Duration PROCESS_LINGER = Duration.ofSeconds(30);

    /**
     * Runs {@code command} with its standard input and output bridged to {@code socket}. The pipes are read and
     * written by two JDK virtual threads, which hand the bytes to and from the strands through channels: a process
     * holds its pipes as long as its connection lasts, and on user-level runtimes a dozen such processes would
     * otherwise hold every thread of the shared {@code Jacket} pool. The connection ends when the process has
     * closed its output and exited; a process still silent {@link #PROCESS_LINGER} after its client's input ended
     * is destroyed, and so is every process when the super-server closes.
     */
    private void bridgeProcess(List<String> command, StrandSocket socket) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = Jacket.call(pb::start);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot start " + command + ": " + e.getMessage());
            throw e;
        }
        processes.add(process);
        Channel<byte[]> fromProcess = Channels.bounded(4);
        Channel<byte[]> toProcess = Channels.bounded(4);
        java.util.concurrent.atomic.AtomicBoolean inputEnded = new java.util.concurrent.atomic.AtomicBoolean();
        Thread.ofVirtual().name("process-stdout").start(() -> {
            try (InputStream stdout = process.getInputStream()) {
                byte[] chunk = new byte[8192];
                for (int n; (n = stdout.read(chunk)) >= 0; ) {
                    fromProcess.send(java.util.Arrays.copyOf(chunk, n));
                }
            } catch (IOException | InterruptedException | io.github.hilos.sync.ChannelClosedException e) {
                LOG.log(System.Logger.Level.DEBUG, "process output: " + e);
            } finally {
                fromProcess.close();
            }
        });
        Thread.ofVirtual().name("process-stdin").start(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                for (;;) {
                    byte[] chunk = toProcess.receive();
                    stdin.write(chunk);
                    stdin.flush();
                }
            } catch (IOException | InterruptedException | io.github.hilos.sync.ChannelClosedException e) {
                LOG.log(System.Logger.Level.DEBUG, "process input ended: " + e);
            }
        });
        Strand clientInput = runtime.spawn("process-input", () -> {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try {
                while (socket.read(buffer) >= 0) {
                    buffer.flip();
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    buffer.clear();
                    toProcess.send(chunk);
                }
            } catch (IOException | InterruptedException | io.github.hilos.sync.ChannelClosedException e) {
                LOG.log(System.Logger.Level.DEBUG, "client to process: " + e);
            } finally {
                inputEnded.set(true);
                toProcess.close(); // the stdin thread drains, then closes the process's input
            }
        });
        try {
            for (;;) {
                byte[] chunk = fromProcess.receive(PROCESS_LINGER);
                if (chunk == null) {
                    if (inputEnded.get() || closing) {
                        LOG.log(System.Logger.Level.DEBUG, "destroying " + command + ": silent " + PROCESS_LINGER
                                + " after its client's input ended");
                        break;
                    }
                    continue;
                }
                socket.write(ByteBuffer.wrap(chunk));
            }
        } catch (io.github.hilos.sync.ChannelClosedException endOfOutput) {
            socket.shutdownOutput();
            try {
                Jacket.await(process.onExit(), Duration.ofSeconds(5));
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                LOG.log(System.Logger.Level.DEBUG, command + " closed its output but did not exit");
            }
        } finally {
            toProcess.close();
            fromProcess.close();
            terminate(process);
            processes.remove(process);
            try {
                socket.shutdownInput(); // the client may keep its side open: stop reading it
            } catch (IOException e) {
                // already closed
            }
            clientInput.join(Duration.ofSeconds(5));
        }
    }

    /** Destroys a process, forcibly if it has not exited a second later. */
    private static void terminate(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the counters of every service, by name.
     *
     * @return the counters
     */
    public Map<String, ServiceStats> stats() {
        Map<String, ServiceStats> out = new LinkedHashMap<>();
        for (Service s : services) {
            out.put(s.name, new ServiceStats(s.served.sum(), s.refused.sum(), s.running.get()));
        }
        return out;
    }

    /**
     * Returns where a service listens.
     *
     * @param name the service
     * @return its address, with the actual port
     * @throws IOException if it is closed
     * @throws IllegalArgumentException if there is no such service
     */
    public SocketAddress localAddress(String name) throws IOException {
        for (Service s : services) {
            if (s.name.equals(name)) {
                return s.listener.localAddress();
            }
        }
        throw new IllegalArgumentException("no service named " + name);
    }

    /** Stops accepting, closes the open connections (their handlers end), and waits up to 5 s for the strands. */
    @Override
    public void close() {
        closing = true;
        for (Service s : services) {
            closeQuietly(s.listener);
            for (StrandSocket c : s.open) {
                closeQuietly(c);
            }
        }
        for (Process p : processes) {
            p.destroy(); // their bridges see the end of output, or the close, and finish
        }
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Strand s : strands.snapshot()) {
            try {
                s.join(Duration.ofNanos(Math.max(0, until - System.nanoTime())));
            } catch (InterruptedException e) {
                Strand.current().interrupt();
                return;
            }
        }
    }
}
