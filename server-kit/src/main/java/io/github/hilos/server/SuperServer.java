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

    /**
     * The timeouts of every service's connections, as {@link ServerLimits} has for the other organizations. A
     * process service's connection that moves no byte either way for {@code idleTimeout}, or whose write to a
     * client that does not read lasts longer than {@code writeTimeout}, is closed, and its process (with its
     * descendants) destroyed. A strand service's handler owns its socket: its stream reads time out after
     * {@code idleTimeout} ({@link StrandSocket#setStreamReadTimeout}), and it should bound its other reads with
     * {@link StrandSocket#read(ByteBuffer, Duration)}.
     *
     * @param idleTimeout the longest a connection may stay silent
     * @param writeTimeout the longest one write to the client may take
     */
    public record Limits(Duration idleTimeout, Duration writeTimeout) {

        /** 60 s idle, 30 s per write, as {@link ServerLimits#DEFAULTS}. */
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(30));

        /**
         * Checks the limits.
         *
         * @throws IllegalArgumentException on a timeout that is not positive
         */
        public Limits {
            Objects.requireNonNull(idleTimeout, "idle timeout");
            Objects.requireNonNull(writeTimeout, "write timeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero() || writeTimeout.isNegative() || writeTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: idle " + idleTimeout + ", write "
                        + writeTimeout);
            }
        }
    }

    /**
     * The only variables of the super-server's environment a process service sees: a service must not learn the
     * server's secrets (a command such as {@code env} would hand them to any client).
     */
    public static final Set<String> PROCESS_ENVIRONMENT = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");

    /** What the reaper knows of one open connection; written by its bridge, read by the reaper. */
    private static final class Activity {
        final boolean process;
        volatile long lastActive = Strand.nanoTime();
        /** When the write in progress started; 0 when none is. */
        volatile long writeStarted;

        Activity(boolean process) {
            this.process = process;
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
    private final Limits limits;
    private final List<Service> services;
    /** Closes connections past their timeouts; interrupted by close(). */
    private volatile Strand reaper;
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
        final Map<StrandSocket, Activity> open = new ConcurrentHashMap<>();

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
        private Limits limits = Limits.DEFAULTS;

        /**
         * Sets the timeouts of every service ({@link Limits#DEFAULTS} if not called).
         *
         * @param limits the timeouts
         * @return this builder
         */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

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
            return new SuperServer(runtime, services, limits);
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

    private SuperServer(StrandRuntime runtime, Map<String, Object[]> definitions, Limits limits) throws Exception {
        this.runtime = runtime;
        this.limits = limits;
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
        this.reaper = spawnTracked("inetd-reaper", this::reap);
    }

    /**
     * Closes the connections of process services that are idle past the idle timeout or stuck in a write past the
     * write timeout; their bridges then end and destroy the processes. Looks four times per shortest timeout.
     */
    private void reap() {
        long idle = limits.idleTimeout().toNanos();
        long write = limits.writeTimeout().toNanos();
        Duration period = Duration.ofNanos(Math.max(Duration.ofMillis(10).toNanos(), Math.min(idle, write) / 4));
        while (!closing) {
            try {
                Strand.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = Strand.nanoTime();
            for (Service s : services) {
                for (Map.Entry<StrandSocket, Activity> e : s.open.entrySet()) {
                    Activity a = e.getValue();
                    long writing = a.writeStarted;
                    if (writing != 0 && now - writing > write
                            || a.process && writing == 0 && now - a.lastActive > idle) {
                        LOG.log(System.Logger.Level.DEBUG, () -> "service " + s.name + ": closing a connection "
                                + (writing != 0 ? "stuck in a write" : "idle") + " past its timeout");
                        closeQuietly(e.getKey());
                    }
                }
            }
        }
    }

    /** Starts a strand the super-server waits for when it closes; it leaves the set when it ends. */
    private Strand spawnTracked(String name, Runnable task) {
        return strands.spawn(runtime, name, task);
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
            Activity activity = new Activity(s.handler instanceof ProcessCommand);
            s.open.put(connection, activity);
            try {
                spawnTracked(s.name + "-handler", () -> {
                    try (connection) {
                        if (s.handler instanceof ProcessCommand p) {
                            bridgeProcess(p.command(), connection, activity);
                        } else {
                            connection.setStreamReadTimeout(limits.idleTimeout());
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
        long now = Strand.nanoTime();
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
     * {@code setsid} from util-linux, or null: with it each process service runs in a session and process group
     * of its own, which {@link #terminate} signals as a whole, so that even a grandchild whose parent exited (the
     * {@code &} of a shell) ends with its connection.
     */
    private static final String SETSID = findExecutable("setsid");
    private static final String KILL = findExecutable("kill");

    private static String findExecutable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            java.nio.file.Path p = java.nio.file.Path.of(dir.isEmpty() ? "." : dir, name);
            if (java.nio.file.Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /**
     * Runs {@code command} with its standard input and output bridged to {@code socket}. The pipes are read and
     * written by two JDK virtual threads, which hand the bytes to and from the strands through channels: a process
     * holds its pipes as long as its connection lasts, and on user-level runtimes a dozen such processes would
     * otherwise hold every thread of the shared {@code Jacket} pool. The connection ends when the process has
     * closed its output and exited; a process still silent {@link #PROCESS_LINGER} after its client's input ended
     * is destroyed, and so is every process when the super-server closes.
     */
    private void bridgeProcess(List<String> command, StrandSocket socket, Activity activity) throws Exception {
        List<String> argv = command;
        if (SETSID != null && KILL != null) {
            argv = new ArrayList<>(command.size() + 1);
            argv.add(SETSID); // execs the command in a new session: same pid, which is also the process group's id
            argv.addAll(command);
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().retainAll(PROCESS_ENVIRONMENT); // a clean environment: no server secrets
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
                    activity.lastActive = Strand.nanoTime();
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
            long silentSince = Strand.nanoTime();
            for (;;) {
                byte[] chunk = fromProcess.receive(Duration.ofSeconds(1));
                if (chunk == null) {
                    long silent = Strand.nanoTime() - silentSince;
                    if (closing || !process.isAlive()
                            || inputEnded.get() && silent >= PROCESS_LINGER.toNanos()) {
                        // exited (a child of its may still hold the output pipe open), or silent too long after its
                        // client's input ended, or the super-server is closing
                        LOG.log(System.Logger.Level.DEBUG, () -> "ending " + command + (process.isAlive()
                                ? ": silent " + PROCESS_LINGER + " after its client's input ended" : ": it exited"));
                        break;
                    }
                    continue;
                }
                silentSince = Strand.nanoTime();
                activity.writeStarted = Strand.nanoTime();
                socket.write(ByteBuffer.wrap(chunk));
                activity.writeStarted = 0;
                activity.lastActive = Strand.nanoTime();
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

    /**
     * Destroys a process and its descendants (a shell's children, say), forcibly for those still alive a second
     * later. Descendants are found through the process tree while the process runs; a grandchild whose parent
     * already exited (a daemon that detached itself) is no longer in the tree and is not reached.
     */
    private static void terminate(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        if (SETSID != null && KILL != null) {
            signalGroup(process.pid(), "TERM"); // the whole process group, orphans included
        }
        if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
            if (SETSID != null && KILL != null) {
                signalGroup(process.pid(), "KILL");
            }
            return;
        }
        tree.forEach(ProcessHandle::destroy);
        long until = Strand.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (ProcessHandle p : tree) {
            try {
                // a strand-blocking wait: on a user-level runtime the carrier serves others meanwhile
                Jacket.await(p.onExit(), Duration.ofNanos(Math.max(1, until - Strand.nanoTime())));
            } catch (InterruptedException e) {
                tree.forEach(ProcessHandle::destroyForcibly);
                Strand.current().interrupt();
                return;
            } catch (Exception stillAlive) {
                p.destroyForcibly();
            }
        }
        if (SETSID != null && KILL != null) {
            signalGroup(process.pid(), "KILL");
        }
    }

    /** {@code kill -SIGNAL -- -pgid}: every process of the group; quietly nothing if the group is gone. */
    private static void signalGroup(long pgid, String signal) {
        try {
            Process kill = Jacket.call(() -> new ProcessBuilder(KILL, "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            Jacket.await(kill.onExit(), Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Strand.current().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "signalling process group " + pgid + ": " + e);
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
        Strand r = reaper;
        if (r != null) {
            r.interrupt();
        }
        for (Service s : services) {
            closeQuietly(s.listener);
            for (StrandSocket c : s.open.keySet()) {
                closeQuietly(c);
            }
        }
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy(); // their bridges see the end of output, or the close, and finish
        }
        long until = Strand.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Strand s : strands.snapshot()) {
            try {
                s.join(Duration.ofNanos(Math.max(0, until - Strand.nanoTime())));
            } catch (InterruptedException e) {
                Strand.current().interrupt();
                return;
            }
        }
    }
}
