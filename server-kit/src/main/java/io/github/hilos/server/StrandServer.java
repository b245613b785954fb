package io.github.hilos.server;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.sync.Mutex;
import io.github.hilos.sync.Semaphore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server organizations share: a listening socket opened in a strand of the runtime, admission (the
 * connection cap and the per-source cap), the loop that serves one connection (wait for a request within the
 * idle timeout, read it within the request deadline, answer it, write the answer within the write timeout, until
 * the client or the codec ends the connection), failure handling, and graceful shutdown. Subclasses decide who
 * serves an admitted connection: the chapter's organizations.
 *
 * <p>Failures: a malformed, oversized or late request, or a service that throws, gets the codec's error response
 * and its connection is closed; the server goes on serving the others. Nothing here kills a strand of the
 * runtime but the connection's own.
 *
 * <p>Implementation overview. Each connection has a state, changed by CAS:
 * {@code IDLE -> ACTIVE} (its serving strand saw the first byte of a request), {@code ACTIVE -> WRITING ->
 * ACTIVE} (around a response), {@code ACTIVE -> IDLE} (the response went out, the connection is kept alive),
 * and {@code IDLE | WRITING -> CLOSED} by another strand: shutdown closes idle connections, the reaper cuts a
 * write that outlived the write timeout. A serving strand that loses a CAS stops: the connection is no longer its
 * own. Reads carry their own timeouts; writes cannot, hence the reaper, which wakes every quarter of the shorter of
 * the write and idle timeouts (at most every second, at least every millisecond).
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public abstract class StrandServer<I, O> implements Server {

    private static final System.Logger LOG = System.getLogger("io.github.hilos.server");

    /** The runtime the server's strands run on. */
    protected final StrandRuntime runtime;
    /** The framing. */
    protected final Codec<I, O> codec;
    /** The application. */
    protected final Service<I, O> service;
    /** The limits. */
    protected final ServerLimits limits;
    private final StrandServerSocket listener;
    /** Set by the acceptor when the listener was closed other than by a shutdown. */
    private volatile boolean listenerGone;
    /** Where the listener was bound, with the actual port: known after a shutdown too. */
    private final SocketAddress boundAddress;
    private final Set<Conn> connections = ConcurrentHashMap.newKeySet();
    /** Connections per remote address; changed only by atomic {@code merge}/{@code computeIfPresent}. */
    private final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private final TrackedStrands strands = new TrackedStrands();
    private final Semaphore connectionPermits;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refusedPerSource = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failedRequests = new LongAdder();
    private final LongAdder writeTimeouts = new LongAdder();
    private volatile Strand reaper;
    private volatile boolean closing;
    private volatile ShutdownReport report;
    /** Held by the one shutdown that runs; later callers wait for its report. */
    private final Mutex shutdownLock = new Mutex();

    /** One admitted connection and its state (see the overview). */
    private static final class Conn {
        static final int IDLE = 0;
        static final int ACTIVE = 1;
        static final int WRITING = 2;
        static final int CLOSED = 3;
        static final String[] NAMES = {"idle", "reading or handling a request", "writing a response", "closed"};

        final StrandSocket socket;
        final InetAddress source;
        final AtomicInteger state = new AtomicInteger(IDLE);
        /** Written by the serving strand before it enters WRITING, read by the reaper after it sees WRITING. */
        volatile long writeStarted;
        /** Written by the serving strand before it enters IDLE, read by the reaper after it sees IDLE. */
        volatile long idleSince = Strand.nanoTime();

        Conn(StrandSocket socket, InetAddress source) {
            this.socket = socket;
            this.source = source;
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        String describe() {
            return source.getHostAddress() + " (" + NAMES[state.get()] + ")";
        }
    }

    /**
     * Binds the listening socket (in a strand of {@code runtime}, so that user-level runtimes poll it).
     *
     * @param runtime the runtime
     * @param address where to listen; port 0 picks one
     * @param codec the framing
     * @param service the application
     * @param limits the limits
     * @throws Exception if binding fails
     */
    protected StrandServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec, Service<I, O> service,
                           ServerLimits limits) throws Exception {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.service = Objects.requireNonNull(service, "service");
        this.limits = Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(address, "address");
        this.connectionPermits = new Semaphore(limits.maxConnections());
        this.listener = runtime.run(() -> StrandServerSocket.bind(address, 1024));
        this.boundAddress = listener.localAddress();
    }

    /** Starts accepting; called by the subclasses' factories once they are fully built. */
    protected final void start() {
        reaper = spawnTracked("server-reaper", this::reap);
        spawnTracked("server-acceptor", () -> {
            try {
                acceptLoop();
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.ERROR, "the server stopped accepting", e);
                }
            } catch (InterruptedException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.ERROR, "the server's acceptor was interrupted; it stopped accepting");
                }
            }
        });
    }

    private void acceptLoop() throws IOException, InterruptedException {
        AcceptBackoff backoff = new AcceptBackoff("the server on " + localAddress());
        while (!closing) {
            connectionPermits.acquire(); // the connection cap: newcomers wait in the listen backlog
            StrandSocket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                connectionPermits.release();
                if (closing) {
                    throw e;
                }
                if (e instanceof java.nio.channels.ClosedChannelException) {
                    // The listener is gone (closed other than by a shutdown): no retry can bring it back. Said
                    // once, and in the stats; the connections already open are still served.
                    listenerGone = true;
                    LOG.log(System.Logger.Level.ERROR, "the server on " + boundAddress + " lost its listener; it no"
                            + " longer accepts (its open connections are still served)", e);
                    return;
                }
                Strand.sleep(backoff.failed(e)); // out of file descriptors, say: back off, go on accepting
                continue;
            } catch (RuntimeException e) {
                connectionPermits.release();
                throw e;
            }
            backoff.succeeded();
            InetAddress source = socket.remoteAddress() instanceof InetSocketAddress inet
                    ? inet.getAddress() : InetAddress.getLoopbackAddress();
            int fromSource = perSource.merge(source, 1, Integer::sum);
            Conn c = new Conn(socket, source);
            if (fromSource > limits.maxConnectionsPerSource()) {
                refusedPerSource.increment();
                release(c);
                c.closeQuietly();
                continue;
            }
            accepted.increment();
            connections.add(c);
            try {
                dispatch(() -> serve(c));
            } catch (RuntimeException e) {
                connections.remove(c);
                release(c);
                c.closeQuietly();
                throw e;
            }
        }
    }

    private void release(Conn c) {
        perSource.computeIfPresent(c.source, (a, n) -> n == 1 ? null : n - 1);
        connectionPermits.release();
    }

    /**
     * Has an admitted connection served: run {@code serveConnection} here (iterative) or in a new strand.
     *
     * @param serveConnection serves the connection to its end and releases it; never throws
     */
    protected abstract void dispatch(Runnable serveConnection);

    /**
     * Starts a strand of the server's runtime that the server waits for when it closes.
     *
     * @param name the strand's name
     * @param task what it does
     * @return the strand
     */
    protected final Strand spawnTracked(String name, Runnable task) {
        return strands.spawn(runtime, name, task);
    }

    /**
     * Answers one request: {@link Service#handle} here; dispatcher/worker hands it to a worker instead.
     *
     * @param session the service of this connection ({@link #service}, or the connection's own session)
     * @param request the request
     * @return the response
     * @throws Exception if the service fails
     */
    protected O answer(Service<I, O> session, I request) throws Exception {
        return session.handle(request);
    }

    private void serve(Conn c) {
        StrandSocket connection = c.socket;
        Service<I, O> session = null;
        try (connection) {
            session = openSession();
            if (session == null) {
                return;
            }
            FrameReader in = new FrameReader(connection, limits.readBufferBytes());
            in.interimWriter(bytes -> writeInterim(c, bytes));
            for (;;) {
                if (!in.awaitRequest(null)) {
                    return; // the client closed (or the reaper closed it when its idle timeout passed)
                }
                if (!c.state.compareAndSet(Conn.IDLE, Conn.ACTIVE)) {
                    return; // shutdown closed it while idle
                }
                in.deadline(limits.requestTimeout());
                I request;
                try {
                    request = codec.read(in);
                } catch (IOException malformed) {
                    if (connection.isOpen() && c.state.get() == Conn.ACTIVE) {
                        failedRequests.increment();
                        if (respond(c, null, codec.error(malformed), false)) {
                            lingeringClose(connection);
                        }
                    }
                    return;
                }
                in.deadline(null);
                if (request == null) {
                    return; // the client closed cleanly
                }
                requests.increment();
                O response;
                try {
                    response = answer(session, request);
                } catch (InterruptedException e) {
                    Strand.current().interrupt();
                    return;
                } catch (Throwable failed) { // an Error too: this request fails, the server goes on
                    failedRequests.increment();
                    logServiceFailure(c, failed);
                    Exception reported = failed instanceof Exception e ? e
                            : new IllegalStateException("the service failed with " + failed, failed);
                    if (respond(c, null, codec.serviceFailed(reported), false)) {
                        lingeringClose(connection);
                    }
                    return;
                }
                boolean keepAlive = codec.keepAlive(request, response) && !closing && keepsAlive();
                if (!respond(c, request, response, keepAlive)) {
                    return;
                }
                if (!keepAlive) {
                    // The response ends the connection (Connection: close, HTTP/1.0, shutdown, an iterative
                    // server): drain what the client still sends, or the close resets the connection and the
                    // kernel drops the response's unsent bytes.
                    lingeringClose(connection);
                    return;
                }
                c.idleSince = Strand.nanoTime(); // before IDLE is published: the reaper reads it after seeing IDLE
                if (!c.state.compareAndSet(Conn.ACTIVE, Conn.IDLE)) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.log(System.Logger.Level.DEBUG, "connection ended: " + e);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the codec failed; the connection is closed", e);
        } finally {
            if (session != service && session instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing a connection's session failed", e);
                }
            }
            c.state.set(Conn.CLOSED);
            connections.remove(c);
            release(c);
        }
    }

    /**
     * Logs a service's failure with the connection it served (source, and the server's request number): the
     * client gets only the codec's generic answer, so this line is where the failure can be found.
     */
    private void logServiceFailure(Conn c, Throwable failed) {
        try {
            LOG.log(System.Logger.Level.WARNING, "the service failed on request " + requests.sum() + " from "
                    + c.describe() + "; the client gets the codec's error answer", failed);
        } catch (Throwable dropped) {
            // out of memory: the line is lost, the connection still ends properly
        }
    }

    /** The connection's session (or the shared service); null if opening it failed (logged). */
    private Service<I, O> openSession() {
        if (!(service instanceof SessionService<I, O> sessions)) {
            return service;
        }
        try {
            return Objects.requireNonNull(sessions.openSession(), "openSession() returned null");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not open a session; closing the connection", e);
            return null;
        }
    }

    /**
     * Writes a response under the write timeout: false if the reaper or shutdown took the connection meanwhile.
     * {@code request} is null for error responses, which always end the connection.
     */
    private boolean respond(Conn c, I request, O response, boolean keepAlive) throws IOException {
        if (response == null) {
            return false;
        }
        c.writeStarted = Strand.nanoTime();
        if (!c.state.compareAndSet(Conn.ACTIVE, Conn.WRITING)) {
            return false;
        }
        try {
            if (request == null) {
                codec.write(response, c.socket);
            } else {
                codec.write(request, response, keepAlive, c.socket);
            }
        } catch (IOException e) {
            if (request == null) {
                LOG.log(System.Logger.Level.DEBUG, "could not write the error response: " + e);
                return false;
            }
            throw e;
        }
        return c.state.compareAndSet(Conn.WRITING, Conn.ACTIVE);
    }

    /** An interim response (HTTP's 100 Continue), written under the write timeout like any response. */
    private void writeInterim(Conn c, java.nio.ByteBuffer bytes) throws IOException {
        c.writeStarted = Strand.nanoTime();
        if (!c.state.compareAndSet(Conn.ACTIVE, Conn.WRITING)) {
            throw new java.nio.channels.AsynchronousCloseException();
        }
        c.socket.write(bytes);
        if (!c.state.compareAndSet(Conn.WRITING, Conn.ACTIVE)) {
            throw new java.nio.channels.AsynchronousCloseException(); // the reaper cut it meanwhile
        }
    }

    /**
     * After the last response of a connection (an error, or one that ends it): half-close, then read and drop what
     * the client still sends (at most 256 KiB, for at most a second) before closing. Closing a socket with unread
     * input makes the kernel send a reset, which destroys response bytes not yet delivered (Apache's "lingering
     * close"; Go's server half-closes and waits too). A client that reads its response and closes ends the wait at
     * once.
     */
    private static void lingeringClose(StrandSocket connection) {
        try {
            connection.shutdownOutput();
            java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(8192);
            long deadline = Strand.nanoTime() + Duration.ofSeconds(1).toNanos();
            for (int total = 0; total < 256 * 1024; ) {
                long left = deadline - Strand.nanoTime();
                if (left <= 0) {
                    return;
                }
                sink.clear();
                int n = connection.read(sink, Duration.ofNanos(left));
                if (n < 0) {
                    return;
                }
                total += n;
            }
        } catch (IOException e) {
            // the client is gone or slow: close anyway
        }
    }

    /**
     * Cuts writes that outlive the write timeout and closes connections idle past the idle timeout; ends when the
     * server closes (interrupted). Idle connections wait in an untimed read: a timer per request would cost more
     * than a scan every quarter of the shorter timeout (capped at a second).
     */
    private void reap() {
        long timeout = limits.writeTimeout().toNanos();
        long idleTimeout = limits.idleTimeout().toNanos();
        Duration tick = Duration.ofNanos(Math.max(Duration.ofMillis(1).toNanos(),
                Math.min(Math.min(timeout, idleTimeout) / 4, Duration.ofSeconds(1).toNanos())));
        try {
            while (!closing) {
                Strand.sleep(tick);
                long now = Strand.nanoTime();
                for (Conn c : connections) {
                    int state = c.state.get();
                    if (state == Conn.WRITING && now - c.writeStarted > timeout
                            && c.state.compareAndSet(Conn.WRITING, Conn.CLOSED)) {
                        writeTimeouts.increment();
                        LOG.log(System.Logger.Level.DEBUG, "write timeout: cutting " + c.describe());
                        c.closeQuietly();
                    } else if (state == Conn.IDLE && now - c.idleSince > idleTimeout
                            && c.state.compareAndSet(Conn.IDLE, Conn.CLOSED)) {
                        c.closeQuietly();
                    }
                }
            }
        } catch (InterruptedException e) {
            // the server is closing
        }
    }

    /**
     * Tells whether shutdown began.
     *
     * @return whether the server is closing
     */
    protected final boolean isClosing() {
        return closing;
    }

    @Override
    public SocketAddress localAddress() {
        return boundAddress;
    }

    /** The strands the server would wait for now (for tests: finished ones must not pile up). */
    int trackedStrands() {
        return strands.size();
    }

    /**
     * Returns the server's counters so far.
     *
     * @return a snapshot
     */
    public ServerStats stats() {
        return new ServerStats(accepted.sum(), refusedPerSource.sum(), requests.sum(), failedRequests.sum(),
                writeTimeouts.sum(), connections.size(), !listenerGone);
    }

    /**
     * Shuts down gracefully: stops accepting, closes the connections waiting for a request, lets the ones in the
     * middle of a request finish it within {@code grace} (HTTP tells their clients {@code Connection: close}),
     * then cuts what is left and says so in the report. The runtime stays open. Later calls return the first
     * report.
     *
     * @param grace how long in-flight requests may take to finish
     * @return what was closed, finished and cut
     */
    public ShutdownReport shutdown(Duration grace) {
        // A strand-aware lock: shutdown sleeps and joins, and a monitor held across that would block a user-level
        // carrier for a second shutdown() or close() from a strand on the same carrier.
        shutdownLock.lock();
        try {
            return report != null ? report : shutdownOnce(grace);
        } finally {
            shutdownLock.unlock();
        }
    }

    private ShutdownReport shutdownOnce(Duration grace) {
        long start = Strand.nanoTime();
        long deadline = start + Math.max(0, grace.toNanos());
        closing = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener", e);
        }
        // An acceptor waiting on the connection cap takes these permits and finds the listener closed; one serving
        // a connection itself (iterative) must not be interrupted.
        connectionPermits.release(limits.maxConnections());
        interrupt(reaper);
        int idle = 0;
        int inFlight = 0;
        for (Conn c : connections) {
            if (c.state.compareAndSet(Conn.IDLE, Conn.CLOSED)) {
                idle++;
                c.closeQuietly();
            } else {
                inFlight++;
            }
        }
        // Polling, not a latch: a connection in flight may go back to idle (its response was written before it
        // saw `closing`), and then it is this loop that closes it. Shutdown is rare; 5 ms steps are cheap.
        while (!connections.isEmpty() && Strand.nanoTime() - deadline < 0) {
            for (Conn c : connections) {
                if (c.state.compareAndSet(Conn.IDLE, Conn.CLOSED)) {
                    c.closeQuietly();
                }
            }
            try {
                Strand.sleep(Duration.ofMillis(5));
            } catch (InterruptedException e) {
                Strand.current().interrupt();
                break;
            }
        }
        List<String> cut = new ArrayList<>();
        for (Conn c : connections) {
            int s = c.state.get();
            if (s != Conn.CLOSED && c.state.compareAndSet(s, Conn.CLOSED)) {
                cut.add(c.source.getHostAddress() + " (" + Conn.NAMES[s] + ")");
                c.closeQuietly();
            }
        }
        onClose();
        // Every connection is closed now; a strand still running is stuck in the service (a cut request): it is
        // interrupted so that the service unwinds, as Go cancels a request's context.
        long joinBy = Strand.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Strand s : strands.snapshot()) {
            try {
                if (!s.join(Duration.ofMillis(cut.isEmpty() ? 1000 : 50))) {
                    s.interrupt();
                    if (!s.join(Duration.ofNanos(Math.max(0, joinBy - Strand.nanoTime())))) {
                        LOG.log(System.Logger.Level.WARNING, "server strand " + s
                                + " did not end within 5 s of shutdown, even interrupted");
                    }
                }
            } catch (InterruptedException e) {
                Strand.current().interrupt();
                break;
            }
        }
        report = new ShutdownReport(idle, inFlight - cut.size(), List.copyOf(cut),
                Duration.ofNanos(Strand.nanoTime() - start));
        if (!cut.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "shutdown cut " + cut.size() + " connection(s) in flight: " + cut);
        }
        return report;
    }

    private static void interrupt(Strand s) {
        if (s != null) {
            s.interrupt();
        }
    }

    /** Shuts down gracefully within the limits' shutdown grace; see {@link #shutdown(Duration)}. */
    @Override
    public void close() {
        shutdown(limits.shutdownGrace());
    }

    /**
     * Tells whether the organization lets a connection carry several requests; true by default.
     *
     * @return whether to keep connections alive when the codec and the client allow it
     */
    protected boolean keepsAlive() {
        return true;
    }

    /** Releases what the organization holds (worker queues); called by shutdown once no request is in flight. */
    protected void onClose() {
    }
}
