package io.github.hilos.server;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandSelector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.github.hilos.sync.CountDownLatch;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The chapter's finite-state-machine server: one strand, non-blocking I/O, no blocking call ever. It waits in one
 * place, a {@link StrandSelector} select, for the next event: a connection, bytes, room to write, or the completion
 * of slow work a request started. Each pending request is an entry in an explicit table keyed by request id,
 * holding its connection and its state; a completion is matched to its entry by id and the {@link StateMachine}
 * takes the next transition. On a user-level runtime the select parks only this strand, on the carrier's poller.
 *
 * <p>Per connection one request is in the table at a time; bytes of pipelined requests wait in its buffer and
 * are decoded once the answer is written, so answers come in request order. The limits of {@link ServerLimits}
 * hold as in the other organizations: idle timeout, request deadline (answered with the codec's timeout error),
 * write timeout, connection caps (over the cap, accepting pauses), graceful shutdown with a report.
 *
 * <p>Threads: everything but {@link #shutdown} and {@link #stats()} runs in the server's strand; completions of
 * slow work arrive from any thread through a concurrent queue and a selector wake-up.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class StateTableServer<I, O> implements Server {

    private static final System.Logger LOG = System.getLogger("io.github.hilos.server");
    private static final Duration TICK = Duration.ofMillis(100);

    private final Codec<I, O> codec;
    private final StateMachine<I, O> machine;
    private final ServerLimits limits;
    private final ServerSocketChannel listener;
    private final SocketAddress localAddress;
    private final Strand strand;
    /** Completions of slow work, from any thread to the server's strand. */
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    /** Opened when the strand has its selector (or failed to open it), then when it has ended. */
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Object shutdownLock = new Object();
    /** Written by the strand before {@code started} or {@code ended} opens, read after (latch ordering). */
    private volatile Exception startFailure;
    private volatile ShutdownReport report;
    private volatile long shutdownDeadline;
    private volatile long shutdownStarted;
    private volatile boolean closing;

    // The strand's own state (plain fields).
    private final Map<Long, Entry> table = new HashMap<>();
    private final List<Conn> connections = new ArrayList<>();
    private final Map<InetAddress, Integer> perSource = new HashMap<>();
    private StrandSelector selector;
    private StrandSelector.Key acceptKey;
    /**
     * Connections whose buffer may hold a next (pipelined) request, decoded by the loop rather than from inside
     * the write that finished the previous answer: answering a thousand pipelined requests is then a loop, not a
     * recursion a thousand deep.
     */
    private final ArrayDeque<Conn> toDecode = new ArrayDeque<>();
    /** When accepting may resume after an accept failure (file descriptors exhausted, say); 0 when it may now. */
    private long acceptPausedUntil;
    /** Requests decoded per loop turn before the loop selects again, so that one pipelining client cannot starve. */
    private static final int DECODES_PER_TURN = 1024;
    private long nextId;
    private int idleClosedAtShutdown;
    private int inFlightAtShutdown;
    private boolean shutdownBegun;

    private volatile ServerStats stats = new ServerStats(0, 0, 0, 0, 0, 0);
    /** The listener was closed other than by a shutdown; loop thread only. */
    private boolean listenerGone;
    private long accepted;
    private long refusedPerSource;
    private long requests;
    private long failedRequests;
    private long writeTimeouts;

    private record Completion(long id, Object result, Throwable failure) {
    }

    /** A request in the table. */
    private final class Entry {
        final long id;
        final Conn conn;
        final I request;
        Object state;

        Entry(long id, Conn conn, I request) {
            this.id = id;
            this.conn = conn;
            this.request = request;
        }
    }

    /**
     * The phases of a connection. The selector's interest follows the phase: a connection reads only while it waits
     * for a request (or drains before closing), so bytes that come while its request is in the table or its answer
     * is being written wait in the kernel (back-pressure), and answers go out in order.
     */
    private enum Phase {
        /** No bytes of a request yet. */
        IDLE("idle", SelectionKey.OP_READ),
        /** Part of a request has come (in the buffer, or held by the decoder). */
        READING("reading a request", SelectionKey.OP_READ),
        /** Its request is in the table: the state machine has it. */
        PENDING("handling a request", 0),
        /** Writing an answer (or a 100 Continue); then back to {@link #IDLE} or {@link #READING}. */
        WRITING("writing a response", SelectionKey.OP_WRITE),
        /** Writing its last answer; then {@link #LINGERING}. */
        WRITING_LAST("writing its last response", SelectionKey.OP_WRITE),
        /** Half-closed after its last answer: reading and dropping input until the client closes. */
        LINGERING("lingering before it closes", SelectionKey.OP_READ),
        /** Closed. */
        CLOSED("closed", 0);

        final String description;
        final int interest;

        Phase(String description, int interest) {
            this.description = description;
            this.interest = interest;
        }
    }

    /**
     * Moves a connection to {@code next} and sets its interest ops to the phase's (no reading once the client's
     * input ended, except while lingering).
     */
    private void to(Conn c, Phase next) {
        c.phase = next;
        if (next == Phase.CLOSED) {
            return;
        }
        int interest = next.interest;
        if (c.inputEnded && interest == SelectionKey.OP_READ && next != Phase.LINGERING) {
            interest = 0;
        }
        c.key.interestOps(interest);
    }

    /** A connection and its phase ({@link Phase}). */
    private final class Conn {
        final SocketChannel channel;
        final InetAddress source;
        StrandSelector.Key key;
        ByteBuffer in;
        /** What to write, in order: {@link ByteBuffer}s and {@link FileRegion}s. */
        final ArrayDeque<Object> out = new ArrayDeque<>();
        /** The file of the region being sent, open while it is; where it is, and where it ends. */
        java.nio.channels.FileChannel sending;
        long sendPosition;
        long sendEnd;
        /** Where the connection is; changed only by {@link #to}, which also sets its interest ops. */
        Phase phase = Phase.IDLE;
        /** The client has closed its output: no request will follow the ones already received. */
        boolean inputEnded;
        long lastActive = Strand.nanoTime();
        long requestStarted;
        long writeStarted;
        /** While {@link Phase#LINGERING}: when it ends. */
        long lingerUntil;
        int lingerDrained;

        /** Parses this connection's requests as their bytes arrive (resumable for HTTP). */
        final Codec.Decoder<I> decoder;

        Conn(SocketChannel channel, InetAddress source) {
            this.channel = channel;
            this.source = source;
            this.in = ByteBuffer.allocate(limits.readBufferBytes());
            this.decoder = codec.decoder();
        }

        /** Whether part of a request has arrived: in the buffer, or held by the decoder. */
        boolean midRequest() {
            return in.position() > 0 || decoder.started();
        }

        boolean idle() {
            return phase == Phase.IDLE;
        }

        String describe() {
            return source.getHostAddress() + " (" + phase.description + ")";
        }
    }

    private StateTableServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                             StateMachine<I, O> machine, ServerLimits limits) throws IOException {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.machine = Objects.requireNonNull(machine, "machine");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = StrandSelector.openServerChannel(); // a JDK channel, or the simulated network's under sim
        try {
            listener.bind(Objects.requireNonNull(address, "address"), 1024);
            listener.configureBlocking(false);
            this.localAddress = listener.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        this.strand = runtime.spawn("state-table-server", this::run);
    }

    /**
     * Starts a state-table server with the default limits.
     *
     * @param runtime the runtime
     * @param address where to listen
     * @param codec the framing (its {@link Codec#decode} and {@link Codec#encode} are used)
     * @param machine the application, as states and transitions
     * @param <I> the request type
     * @param <O> the response type
     * @return the running server
     * @throws Exception if binding or starting fails
     */
    public static <I, O> StateTableServer<I, O> start(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                                      StateMachine<I, O> machine) throws Exception {
        return start(runtime, address, codec, machine, ServerLimits.DEFAULTS);
    }

    /**
     * Starts a state-table server.
     *
     * @param runtime the runtime
     * @param address where to listen
     * @param codec the framing
     * @param machine the application
     * @param limits the limits
     * @param <I> the request type
     * @param <O> the response type
     * @return the running server
     * @throws Exception if binding or starting fails
     */
    public static <I, O> StateTableServer<I, O> start(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                                      StateMachine<I, O> machine, ServerLimits limits)
            throws Exception {
        StateTableServer<I, O> server = new StateTableServer<>(runtime, address, codec, machine, limits);
        server.started.await(); // a strand latch: a caller on the same carrier parks, the server strand runs
        if (server.startFailure != null) {
            server.listener.close();
            throw server.startFailure;
        }
        return server;
    }

    /**
     * Returns the address the server listens on.
     *
     * @return the address
     */
    public SocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Returns the server's counters as the server's strand last published them, at the end of its latest loop turn
     * (so they may lag the answers of that turn); any thread.
     *
     * @return the counters
     */
    public ServerStats stats() {
        return stats;
    }

    private void run() {
        try {
            selector = StrandSelector.open();
            acceptKey = selector.register(listener, SelectionKey.OP_ACCEPT, null);
        } catch (IOException | RuntimeException e) {
            startFailure = e;
            started.countDown();
            ended.countDown();
            return;
        }
        started.countDown();
        try {
            long lastSweep = Strand.nanoTime();
            while (!finished()) {
                try {
                    selector.select(toDecode.isEmpty() ? TICK : Duration.ZERO, this::onReadySafely);
                    for (Completion c; (c = completions.poll()) != null; ) {
                        Completion done = c;
                        guarded(null, () -> onCompletion(done));
                    }
                    for (int n = 0; n < DECODES_PER_TURN && !toDecode.isEmpty(); n++) {
                        Conn c = toDecode.poll();
                        guarded(c, () -> decodeNext(c));
                    }
                    if (closing && !shutdownBegun) {
                        beginShutdown();
                    }
                    long now = Strand.nanoTime();
                    if (now - lastSweep >= TICK.toNanos()) {
                        sweep(now);
                        lastSweep = now;
                    }
                    publishStats();
                } catch (java.nio.channels.ClosedSelectorException | IOException fatal) {
                    throw fatal;
                } catch (Throwable e) {
                    // Not one connection's: out of memory between connections, say. The turn is lost, the server
                    // is not; the next turn starts over from the selector.
                    logQuietly("a turn of the state-table server failed; it goes on", e);
                }
            }
        } catch (IOException | RuntimeException e) {
            logQuietly("the state-table server failed; closing it", e);
        } finally {
            endShutdown();
        }
    }

    private boolean finished() {
        if (!shutdownBegun) {
            return false;
        }
        return connections.isEmpty() || Strand.nanoTime() - shutdownDeadline >= 0;
    }

    /**
     * Runs {@code action} for one connection; a failure there, an {@link Error} included (an
     * {@link OutOfMemoryError} while its buffer grows, say), closes that connection only and the loop goes on.
     */
    private void guarded(Conn c, Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            failedRequests++;
            if (c != null) {
                close(c); // first: it frees what the connection held, before anything else allocates
            }
            logQuietly("a connection's handling failed (" + (c == null ? "accepting" : c.describe())
                    + "); it is closed and the server goes on", e);
        }
    }

    /** Logs without throwing: under memory pressure the line is lost, not the server's loop. */
    private static void logQuietly(String message, Throwable e) {
        try {
            LOG.log(System.Logger.Level.ERROR, message, e);
        } catch (Throwable dropped) {
            // nothing to report with
        }
    }

    private void onReadySafely(StrandSelector.Key key) {
        if (key == acceptKey) {
            guarded(null, this::acceptAll);
            return;
        }
        @SuppressWarnings("unchecked") // only Conns are attached, besides the listener's null
        Conn c = (Conn) key.attachment();
        guarded(c, () -> onReady(c, key));
    }

    private void onReady(Conn c, StrandSelector.Key key) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        if ((key.readyOps() & SelectionKey.OP_WRITE) != 0) {
            flush(c);
        }
        if (c.phase != Phase.CLOSED && (key.readyOps() & SelectionKey.OP_READ) != 0) {
            readFrom(c);
        }
    }

    private void acceptAll() {
        while (connections.size() < limits.maxConnections()) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (java.nio.channels.ClosedChannelException gone) {
                if (!closing && !listenerGone) {
                    // closed other than by a shutdown: no retry brings it back. Said once, and in the stats.
                    listenerGone = true;
                    acceptKey.cancel();
                    LOG.log(System.Logger.Level.ERROR, "the state-table server lost its listener; it no longer"
                            + " accepts (its open connections are still served)", gone);
                }
                return;
            } catch (IOException e) {
                if (!closing) {
                    // out of file descriptors, say: pause accepting for a tick rather than spin on the failure
                    LOG.log(System.Logger.Level.WARNING, "accept failed; pausing accepting for " + TICK, e);
                    acceptKey.interestOps(0);
                    acceptPausedUntil = Strand.nanoTime() + TICK.toNanos();
                }
                return;
            }
            if (channel == null) {
                return;
            }
            InetAddress source;
            try {
                source = channel.getRemoteAddress() instanceof InetSocketAddress inet ? inet.getAddress()
                        : InetAddress.getLoopbackAddress();
                int n = perSource.merge(source, 1, Integer::sum);
                if (n > limits.maxConnectionsPerSource()) {
                    perSource.merge(source, -1, Integer::sum);
                    refusedPerSource++;
                    channel.close();
                    continue;
                }
                channel.configureBlocking(false);
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                Conn c = new Conn(channel, source);
                c.key = selector.register(channel, SelectionKey.OP_READ, c);
                connections.add(c);
                accepted++;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not set up an accepted connection: " + e);
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        acceptKey.interestOps(0); // at the cap: newcomers wait in the backlog until a connection ends
    }

    private void readFrom(Conn c) {
        switch (c.phase) {
            case LINGERING -> {
                drainLingering(c);
                return;
            }
            case IDLE, READING -> {
                // read below
            }
            default -> {
                return; // a readiness reported before the phase changed: its interest is set already
            }
        }
        int n;
        try {
            if (!c.in.hasRemaining()) {
                if (c.in.capacity() >= maxInputBuffer()) {
                    close(c); // no codec of ours accepts a request this large without having refused it already
                    return;
                }
                grow(c);
            }
            n = c.channel.read(c.in);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (n < 0) {
            c.inputEnded = true;
            close(c); // between requests, or inside one that will never end
            return;
        }
        if (n > 0) {
            if (c.phase == Phase.IDLE) {
                c.requestStarted = Strand.nanoTime(); // the first bytes of a request
                to(c, Phase.READING);
            }
            c.lastActive = Strand.nanoTime();
        }
        decodeNext(c);
    }

    /**
     * The largest input buffer a connection may grow to: the codec's bound on one request (beyond it the request
     * cannot be one the codec accepts), and never less than the read buffer it starts with.
     */
    private int maxInputBuffer() {
        return Math.max(limits.readBufferBytes(), codec.maxRequestBytes());
    }

    /** A full buffer holds part of one request: double it, up to the codec's own limits (which throw first). */
    private void grow(Conn c) {
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(maxInputBuffer(), c.in.capacity() * 2L));
        c.in.flip();
        bigger.put(c.in);
        c.in = bigger;
    }

    /** Decodes the next request from the connection's buffer, if it is not busy with one. */
    private void decodeNext(Conn c) {
        if (c.phase != Phase.IDLE && c.phase != Phase.READING) {
            return; // busy with a request or an answer: pipelined bytes wait
        }
        c.in.flip();
        I request;
        try {
            request = c.decoder.decode(c.in);
        } catch (IOException malformed) {
            c.in.compact();
            failedRequests++;
            respond(c, null, codec.error(malformed), false);
            return;
        } catch (RuntimeException e) {
            c.in.compact();
            LOG.log(System.Logger.Level.ERROR, "the codec failed; closing the connection", e);
            close(c);
            return;
        }
        c.in.compact();
        if (request == null) {
            if (c.inputEnded) {
                close(c);
                return;
            }
            if (c.midRequest()) {
                if (c.requestStarted == 0) {
                    c.requestStarted = Strand.nanoTime();
                }
                if (c.phase == Phase.IDLE) {
                    to(c, Phase.READING);
                }
            }
            ByteBuffer interim = c.decoder.interim();
            if (interim != null) { // 100 Continue: the client waits for it before sending the body
                c.out.add(interim);
                c.writeStarted = Strand.nanoTime();
                to(c, Phase.WRITING);
                flush(c);
            }
            return;
        }
        c.requestStarted = c.midRequest() ? Strand.nanoTime() : 0;
        requests++;
        to(c, Phase.PENDING);
        Entry e = new Entry(nextId++, c, request);
        table.put(e.id, e);
        StateMachine.Transition<O> t;
        try {
            t = machine.start(e.id, request);
        } catch (Throwable failed) { // an Error too: the entry must leave the table and the client get an answer
            fail(e, asException(failed));
            return;
        }
        apply(e, t);
    }

    private void apply(Entry e, StateMachine.Transition<O> t) {
        switch (t) {
            case StateMachine.Reply<O> reply -> {
                table.remove(e.id);
                if (e.conn.phase == Phase.CLOSED) {
                    return; // the client left; nobody to answer
                }
                boolean keepAlive = !closing && !e.conn.inputEnded && codec.keepAlive(e.request, reply.response());
                respond(e.conn, e.request, reply.response(), keepAlive);
            }
            case StateMachine.Await<O> await -> {
                e.state = await.state();
                long id = e.id;
                await.work().whenComplete((result, failure) -> {
                    completions.add(new Completion(id, result, failure));
                    StrandSelector s = selector;
                    if (s != null) {
                        s.wakeup();
                    }
                });
            }
        }
    }

    private void onCompletion(Completion c) {
        Entry e = table.get(c.id());
        if (e == null) {
            return; // cut at shutdown
        }
        StateMachine.Transition<O> t;
        try {
            t = machine.resume(e.id, e.state, c.result(), c.failure());
        } catch (Throwable failed) {
            fail(e, asException(failed));
            return;
        }
        apply(e, t);
    }

    private static Exception asException(Throwable t) {
        return t instanceof Exception e ? e : new IllegalStateException("the state machine failed with " + t, t);
    }

    private void fail(Entry e, Exception failed) {
        table.remove(e.id);
        failedRequests++;
        logQuietly("the service failed on request " + e.id + " from " + e.conn.describe()
                + "; the client gets the codec's error answer", failed);
        if (e.conn.phase != Phase.CLOSED) {
            respond(e.conn, null, codec.serviceFailed(failed), false);
        }
    }

    private void respond(Conn c, I request, O response, boolean keepAlive) {
        if (response == null) {
            close(c);
            return;
        }
        try {
            Codec.Output output = codec.encodeOutput(request, response, keepAlive);
            c.out.add(output.bytes());
            if (output.file() != null) {
                c.out.add(output.file());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the codec could not encode a response; closing the connection", e);
            close(c);
            return;
        }
        c.writeStarted = Strand.nanoTime();
        to(c, keepAlive ? Phase.WRITING : Phase.WRITING_LAST);
        flush(c);
    }

    private void flush(Conn c) {
        try {
            while (!c.out.isEmpty()) {
                Object part = c.out.peek();
                boolean done;
                if (part instanceof ByteBuffer b) {
                    c.channel.write(b);
                    done = !b.hasRemaining();
                } else {
                    done = sendFile(c, (FileRegion) part);
                }
                if (!done) {
                    return; // the socket is full: the phase's interest is OP_WRITE
                }
                c.out.poll();
            }
        } catch (IOException e) {
            close(c);
            return;
        }
        c.lastActive = Strand.nanoTime();
        if (c.phase == Phase.WRITING_LAST) {
            lingerThenClose(c);
            return;
        }
        if (closing) {
            close(c); // an answer begun before the shutdown: the connection ends with it
            return;
        }
        to(c, c.midRequest() ? Phase.READING : Phase.IDLE);
        toDecode.add(c); // a pipelined request may already be in the buffer: the loop decodes it
    }

    /**
     * Sends as much of a file region as the socket takes now ({@code transferTo}: the kernel copies from the page
     * cache; no file bytes on the heap). Returns whether the region is done.
     */
    private boolean sendFile(Conn c, FileRegion f) throws IOException {
        if (c.sending == null) {
            c.sending = java.nio.channels.FileChannel.open(f.path(), java.nio.file.StandardOpenOption.READ);
            c.sendPosition = f.offset();
            c.sendEnd = f.offset() + f.length();
        }
        while (c.sendPosition < c.sendEnd) {
            long n = c.sending.transferTo(c.sendPosition, c.sendEnd - c.sendPosition, c.channel);
            if (n == 0) {
                if (c.sendPosition >= c.sending.size()) {
                    throw new java.io.EOFException(f.path() + " shrank below the length its response announced");
                }
                return false; // the socket is full: wait for OP_WRITE
            }
            c.sendPosition += n;
        }
        closeSending(c);
        return true;
    }

    private void closeSending(Conn c) {
        if (c.sending != null) {
            try {
                c.sending.close();
            } catch (IOException e) {
                // a read-only file: nothing lost
            }
            c.sending = null;
        }
    }

    /** How long, and how much, a connection is drained after its last response. */
    private static final long LINGER_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int LINGER_BYTES = 256 * 1024;

    /**
     * After a connection's last response (an error, or one that ends it): half-close, then read and drop what the
     * client still sends until it closes, for at most a second and 256 KiB, and only then close. Closing with unread
     * input makes the kernel send a reset, which destroys response bytes not yet delivered. The loop keeps
     * serving meanwhile; {@link #sweep} ends lingering that outlives its second.
     */
    private void lingerThenClose(Conn c) {
        try {
            c.channel.shutdownOutput();
        } catch (IOException e) {
            close(c);
            return;
        }
        c.lingerUntil = Strand.nanoTime() + LINGER_NANOS;
        c.in.clear();
        to(c, Phase.LINGERING);
    }

    /** Reads and drops a lingering connection's input; closes it at its end or past the budget. */
    private void drainLingering(Conn c) {
        try {
            for (;;) {
                c.in.clear();
                int n = c.channel.read(c.in);
                if (n < 0 || (c.lingerDrained += Math.max(0, n)) >= LINGER_BYTES) {
                    close(c);
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            close(c);
        }
    }

    private void close(Conn c) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        to(c, Phase.CLOSED);
        c.decoder.release();
        closeSending(c);
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.remove(c);
        perSource.computeIfPresent(c.source, (a, n) -> n == 1 ? null : n - 1);
        if (!closing && acceptPausedUntil == 0 && acceptKey.isValid()
                && connections.size() < limits.maxConnections()) {
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** Timeouts: idle connections, requests past their deadline, writes past theirs. */
    private void sweep(long now) {
        if (!closing && !listenerGone && !listener.isOpen()) {
            // Closed other than by a shutdown (its key went with it, so accept never runs to say so): no retry
            // brings it back. Said once, and in the stats; the open connections are still served.
            listenerGone = true;
            LOG.log(System.Logger.Level.ERROR, "the state-table server lost its listener; it no longer accepts"
                    + " (its open connections are still served)");
        }
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0 && !closing) {
            acceptPausedUntil = 0;
            if (connections.size() < limits.maxConnections()) {
                acceptKey.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
        for (Conn c : List.copyOf(connections)) {
            switch (c.phase) {
                case LINGERING -> {
                    if (now - c.lingerUntil >= 0) {
                        close(c); // lingered its second: the client keeps sending, or never closes
                    }
                }
                case WRITING, WRITING_LAST -> {
                    if (now - c.writeStarted > limits.writeTimeout().toNanos()) {
                        writeTimeouts++;
                        close(c);
                    }
                }
                case READING -> {
                    if (now - c.requestStarted > limits.requestTimeout().toNanos()) {
                        failedRequests++;
                        respond(c, null, codec.error(new SocketTimeoutException("the request did not arrive within "
                                + limits.requestTimeout())), false);
                    }
                }
                case IDLE -> {
                    if (now - c.lastActive > limits.idleTimeout().toNanos()) {
                        close(c);
                    }
                }
                default -> {
                    // PENDING: the state machine's time; CLOSED: gone
                }
            }
        }
    }

    private void publishStats() {
        stats = new ServerStats(accepted, refusedPerSource, requests, failedRequests, writeTimeouts,
                connections.size(), !listenerGone);
    }

    private void beginShutdown() {
        shutdownBegun = true;
        acceptKey.cancel();
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener", e);
        }
        for (Conn c : List.copyOf(connections)) {
            if (c.phase == Phase.LINGERING) {
                continue; // answered already and draining: closing it now could reset its response; sweep ends it
            }
            if (c.idle()) {
                idleClosedAtShutdown++;
                close(c);
            } else {
                inFlightAtShutdown++;
            }
        }
    }

    private void endShutdown() {
        List<String> cut = new ArrayList<>();
        for (Conn c : List.copyOf(connections)) {
            cut.add(c.describe());
            close(c);
        }
        table.clear();
        try {
            listener.close();
            if (selector != null) {
                selector.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the state-table server", e);
        }
        publishStats();
        long start = shutdownStarted == 0 ? Strand.nanoTime() : shutdownStarted;
        report = new ShutdownReport(idleClosedAtShutdown, Math.max(0, inFlightAtShutdown - cut.size()),
                List.copyOf(cut), Duration.ofNanos(Strand.nanoTime() - start));
        ended.countDown();
    }

    /**
     * Shuts down gracefully: stops accepting, closes idle connections, lets requests in the table finish within
     * {@code grace}, then cuts the rest. Any thread; later calls return the first report.
     *
     * @param grace how long in-flight requests may take
     * @return the report
     */
    public ShutdownReport shutdown(Duration grace) {
        synchronized (shutdownLock) {
            if (!closing) {
                shutdownStarted = Strand.nanoTime();
                shutdownDeadline = shutdownStarted + Math.max(0, grace.toNanos());
                closing = true;
                StrandSelector s = selector;
                if (s != null) {
                    s.wakeup();
                }
            }
        }
        try {
            ended.await();
            strand.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Strand.current().interrupt();
            return new ShutdownReport(0, 0, List.of("interrupted while waiting for the shutdown"), Duration.ZERO);
        }
        return report;
    }

    /** Shuts down within the limits' shutdown grace. */
    @Override
    public void close() {
        shutdown(limits.shutdownGrace());
    }
}
