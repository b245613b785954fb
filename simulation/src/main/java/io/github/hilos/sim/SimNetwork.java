package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.NetProvider;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The simulated network of a {@code sim} runtime: {@code StrandServerSocket} and {@code StrandSocket} connect in
 * memory between simulated hosts, with seeded latency and with faults injected by the test or at random. Its
 * methods are called from strands of the simulation.
 *
 * <p>The model is a small TCP. Each direction of a connection is an ordered queue of segments that arrive after a
 * latency drawn between {@link #latency(Duration, Duration) min and max}; a sender may have at most 64 KiB sent and
 * not yet read by the peer (the window), so a peer that does not read stops its sender. A connection closed with
 * unread input sends a reset, which discards what the peer had not read yet (as a kernel does: the reason servers
 * drain before closing). Across a {@link #partition partition} segments are retransmitted every 200 ms and a
 * connection gives up after 120 s without progress, both ends then failing with "Connection timed out"; a
 * connection attempt retries its SYN every second until its timeout (127 s without one). A {@link #stall stalled}
 * host's strands block in every read. Hosts are IP literals; a strand runs on the host of the strand that spawned
 * it ({@link SimRuntime#spawnOn}), {@code 10.0.0.1} for the first; binding to a wildcard or loopback address binds
 * on the strand's host, and connecting to a loopback address connects to it.
 */
public final class SimNetwork {

    static final int WINDOW = 64 * 1024;
    private static final long RETRANSMIT_NANOS = 200_000_000L;
    private static final long GIVE_UP_NANOS = 120_000_000_000L;
    private static final long SYN_RETRY_NANOS = 1_000_000_000L;
    private static final long SYN_GIVE_UP_NANOS = 127_000_000_000L;

    private final World world;
    final NetProvider provider = new Provider();
    private final Map<InetSocketAddress, SimListener> listeners = new HashMap<>();
    private final Map<InetAddress, Integer> nextPort = new HashMap<>();
    private final Set<String> cut = new HashSet<>();
    private final Set<InetAddress> stalled = new HashSet<>();
    private final Set<InetSocketAddress> refused = new HashSet<>();
    /** Open connection ends in creation order: faults visit them in a deterministic order. */
    private final LinkedHashSet<End> ends = new LinkedHashSet<>();
    private long minLatency;
    private long maxLatency;
    private double faultRate;

    SimNetwork(World world) {
        this.world = world;
        this.minLatency = world.settings.minLatencyNanos();
        this.maxLatency = world.settings.maxLatencyNanos();
        this.faultRate = world.settings.faultRate();
    }

    static InetAddress address(String literal) {
        Objects.requireNonNull(literal, "host");
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a simulated host is an IP literal, such as 10.0.0.2: " + literal, e);
        }
    }

    // ---- faults, from the test ----

    /**
     * Cuts the network between two hosts, both ways: segments wait (and are retransmitted) until {@link #heal}, and
     * new connections between them time out.
     *
     * @param hostA one host
     * @param hostB the other
     */
    public void partition(String hostA, String hostB) {
        onWorld();
        cut.add(pair(address(hostA), address(hostB)));
        note("partition " + hostA + " | " + hostB);
    }

    /**
     * Ends a partition between two hosts.
     *
     * @param hostA one host
     * @param hostB the other
     */
    public void heal(String hostA, String hostB) {
        onWorld();
        cut.remove(pair(address(hostA), address(hostB)));
        note("heal " + hostA + " | " + hostB);
    }

    /** Ends every partition. */
    public void healAll() {
        onWorld();
        cut.clear();
        note("heal all partitions");
    }

    /**
     * Resets every open connection with an end at {@code endpoint} (a host and port): both ends fail their next
     * read or write with "Connection reset", and what was in flight is lost.
     *
     * @param endpoint the address of one end
     */
    public void reset(SocketAddress endpoint) {
        onWorld();
        note("reset connections of " + endpoint);
        for (End e : List.copyOf(ends)) {
            if (e.local.equals(endpoint) || e.remote.equals(endpoint)) {
                e.resetBoth("Connection reset");
            }
        }
    }

    /**
     * Resets every open connection of a host, as if it crashed and came back.
     *
     * @param host the host
     */
    public void resetHost(String host) {
        onWorld();
        InetAddress h = address(host);
        note("reset every connection of " + host);
        for (End e : List.copyOf(ends)) {
            if (e.local.getAddress().equals(h) || e.remote.getAddress().equals(h)) {
                e.resetBoth("Connection reset");
            }
        }
    }

    /**
     * Makes a host stop reading: its strands block in every socket read (data waits for them), so once the window
     * is full its peers block in their writes. A peer that stalls.
     *
     * @param host the host
     */
    public void stall(String host) {
        onWorld();
        stalled.add(address(host));
        note("stall " + host);
    }

    /**
     * Lets a stalled host read again.
     *
     * @param host the host
     */
    public void unstall(String host) {
        onWorld();
        InetAddress h = address(host);
        stalled.remove(h);
        note("unstall " + host);
        for (End e : List.copyOf(ends)) {
            if (e.local.getAddress().equals(h)) {
                e.wakeAll();
            }
        }
    }

    /**
     * Refuses connections to an address, as a closed port does, until {@link #admit}.
     *
     * @param address the host and port
     */
    public void refuse(SocketAddress address) {
        onWorld();
        refused.add((InetSocketAddress) address);
        note("refuse connections to " + address);
    }

    /**
     * Stops refusing connections to an address.
     *
     * @param address the host and port
     */
    public void admit(SocketAddress address) {
        onWorld();
        refused.remove((InetSocketAddress) address);
        note("admit connections to " + address);
    }

    /**
     * Sets the one-way latency of every later segment: drawn uniformly, by seed, between {@code min} and
     * {@code max}. The default is 50 to 500 µs (settings {@code latency.min.us}, {@code latency.max.us}).
     *
     * @param min the shortest
     * @param max the longest, not below {@code min}
     */
    public void latency(Duration min, Duration max) {
        onWorld();
        if (max.compareTo(min) < 0 || min.isNegative()) {
            throw new IllegalArgumentException("latency from " + min + " to " + max);
        }
        minLatency = min.toNanos();
        maxLatency = max.toNanos();
    }

    /**
     * Sets the probability of a random fault at each connection attempt (refused) and each segment's arrival (the
     * connection is reset), drawn by seed. The default is the setting {@code faults}, 0.
     *
     * @param probability from 0 to 1
     */
    public void randomFaults(double probability) {
        onWorld();
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("a probability, from 0 to 1: " + probability);
        }
        faultRate = probability;
    }

    private void onWorld() {
        if (!world.onWorldThread()) {
            throw new IllegalStateException("the simulated network is used from strands of its simulation; this is "
                    + Thread.currentThread().getName());
        }
    }

    private void note(String what) {
        world.trace.add(Trace.NET, world.current, what, null);
    }

    private static String pair(InetAddress a, InetAddress b) {
        String x = a.getHostAddress();
        String y = b.getHostAddress();
        return x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
    }

    private boolean partitioned(InetAddress a, InetAddress b) {
        return !cut.isEmpty() && !a.equals(b) && cut.contains(pair(a, b));
    }

    private long latency() {
        return minLatency == maxLatency ? minLatency : world.netRandom.nextLong(minLatency, maxLatency + 1);
    }

    private boolean randomFault() {
        return faultRate > 0 && world.netRandom.nextDouble() < faultRate;
    }

    private int ephemeralPort(InetAddress host) {
        int port = nextPort.getOrDefault(host, 40000);
        while (listeners.containsKey(new InetSocketAddress(host, port))) {
            port++;
        }
        nextPort.put(host, port + 1);
        return port;
    }

    private static SimStrand me() {
        if (Strand.current() instanceof SimStrand s) {
            return s;
        }
        throw new IllegalStateException("simulated sockets are used from strands of the simulation");
    }

    /** Parks the calling strand for {@code nanos} of virtual time; an interrupt ends it with the socket closed. */
    private void pause(long nanos, java.io.Closeable onInterrupt) throws IOException {
        long until = world.now + nanos;
        while (world.now < until) {
            if (Strand.interrupted()) {
                if (onInterrupt != null) {
                    onInterrupt.close();
                }
                throw new ClosedByInterruptException();
            }
            Strand.parkNanos("the network", until - world.now);
        }
    }

    // ---- sockets, for StrandServerSocket and StrandSocket ----

    private final class Provider implements NetProvider {

        @Override
        public Listener bind(SocketAddress local, int backlog) throws IOException {
            SimStrand me = me();
            InetSocketAddress a = local == null ? new InetSocketAddress(0) : (InetSocketAddress) local;
            InetAddress host = a.getAddress() == null || a.getAddress().isAnyLocalAddress()
                    || a.getAddress().isLoopbackAddress() ? me.host : a.getAddress();
            int port = a.getPort() == 0 ? ephemeralPort(host) : a.getPort();
            InetSocketAddress key = new InetSocketAddress(host, port);
            if (listeners.containsKey(key)) {
                throw new BindException("Address already in use: " + key);
            }
            SimListener l = new SimListener(key, backlog <= 0 ? 128 : backlog);
            listeners.put(key, l);
            world.trace.add(Trace.NET, me, "listen on " + key, null);
            return l;
        }

        @Override
        public Connection connect(SocketAddress remote, long timeoutNanos) throws IOException {
            SimStrand me = me();
            InetSocketAddress target = resolve((InetSocketAddress) remote, me.host);
            InetAddress from = me.host;
            boolean timed = timeoutNanos != Long.MAX_VALUE;
            long deadline = world.now + (timed ? timeoutNanos : SYN_GIVE_UP_NANOS);
            world.trace.add(Trace.NET, me, "connect " + from.getHostAddress() + " -> " + target, null);
            while (partitioned(from, target.getAddress())) {
                if (world.now >= deadline) {
                    world.trace.add(Trace.NET, me, "connect to " + target + " timed out (partition)", null);
                    throw timed ? new SocketTimeoutException("connect timed out: " + target)
                            : new ConnectException("Connection timed out: " + target);
                }
                pause(Math.min(SYN_RETRY_NANOS, deadline - world.now), null);
            }
            pause(latency(), null);
            SimListener l = listeners.get(target);
            boolean fault = randomFault();
            if (l == null || l.closed || refused.contains(target) || fault || l.backlog.size() >= l.capacity) {
                pause(latency(), null);
                world.trace.add(Trace.NET, me, "connection to " + target + " refused" + (fault ? " (random fault)"
                        : ""), null);
                throw new ConnectException("Connection refused: " + target);
            }
            InetSocketAddress localAddress = new InetSocketAddress(from, ephemeralPort(from));
            End client = new End(localAddress, target);
            End server = new End(target, localAddress);
            client.peer = server;
            server.peer = client;
            ends.add(client);
            ends.add(server);
            l.backlog.add(server);
            l.wakeAll();
            pause(latency(), client);
            if (client.reset) {
                throw new SocketException("Connection reset: " + target);
            }
            world.trace.add(Trace.NET, me, "connected " + localAddress + " -> " + target, null);
            return client;
        }

        @Override
        public io.github.hilos.net.StrandSelector openSelector() {
            me();
            return new SimSelector();
        }

        @Override
        public java.nio.channels.ServerSocketChannel openServerSocketChannel() {
            me();
            return new SimServerChannel();
        }
    }

    private static InetSocketAddress resolve(InetSocketAddress a, InetAddress own) throws IOException {
        if (a.isUnresolved()) {
            throw new java.net.UnknownHostException(a.getHostString()
                    + " (the simulated network knows IP literals only)");
        }
        InetAddress host = a.getAddress().isLoopbackAddress() || a.getAddress().isAnyLocalAddress() ? own
                : a.getAddress();
        return new InetSocketAddress(host, a.getPort());
    }

    /** A simulated socket, as traces name it. */
    interface Socket {
        /**
         * Names the socket in a trace.
         *
         * @return a description with its addresses
         */
        String describe();
    }

    /** Strands parked on a socket; woken all at once (they re-check their condition). */
    private abstract static class Waitable implements Socket {
        final ArrayList<SimStrand> waiters = new ArrayList<>(2);

        void wakeAll() {
            for (int i = 0; i < waiters.size(); i++) {
                waiters.get(i).unpark();
            }
        }
    }

    private final class SimListener extends Waitable implements NetProvider.Listener {
        final InetSocketAddress address;
        final int capacity;
        final ArrayDeque<End> backlog = new ArrayDeque<>();
        boolean closed;

        SimListener(InetSocketAddress address, int capacity) {
            this.address = address;
            this.capacity = capacity;
        }

        @Override
        public NetProvider.Connection accept(long timeoutNanos) throws IOException {
            SimStrand me = me();
            if (closed) {
                throw new ClosedChannelException();
            }
            long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : world.now + timeoutNanos;
            for (;;) {
                if (closed) {
                    throw new AsynchronousCloseException();
                }
                End e = take();
                if (e != null) {
                    return e;
                }
                await(this, me, deadline, "accept", this);
            }
        }

        /** The next connection of the backlog, traced, or null. */
        End take() {
            End e = backlog.poll();
            if (e != null) {
                world.trace.add(Trace.NET, world.current, "accept " + e.remote + " on " + address, null);
            }
            return e;
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            return address;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            listeners.remove(address);
            world.trace.add(Trace.NET, world.current, "close listener " + address, null);
            for (End e; (e = backlog.poll()) != null; ) {
                e.close();
            }
            wakeAll();
        }

        @Override
        public String describe() {
            return "the listener " + address.getAddress().getHostAddress() + ":" + address.getPort();
        }
    }

    /** Parks {@code me} on {@code on} until woken, the deadline, or an interrupt (which closes {@code socket}). */
    private void await(Waitable on, SimStrand me, long deadline, String what, java.io.Closeable socket)
            throws IOException {
        if (Strand.interrupted()) {
            socket.close();
            throw new ClosedByInterruptException();
        }
        if (deadline != Long.MAX_VALUE && world.now >= deadline) {
            throw new SocketTimeoutException(what + " timed out");
        }
        on.waiters.add(me);
        try {
            if (deadline == Long.MAX_VALUE) {
                Strand.park(on);
            } else {
                Strand.parkNanos(on, deadline - world.now);
            }
        } finally {
            on.waiters.remove(me);
        }
    }

    /** One piece of a direction's stream: data, or the end of the stream (FIN). */
    private static final class Segment {
        final byte[] data;
        final long sentAt;
        long arrival;

        Segment(byte[] data, long sentAt, long arrival) {
            this.data = data;
            this.sentAt = sentAt;
            this.arrival = arrival;
        }
    }

    /** One end of a connection; its outgoing direction is its queue of segments to the peer. */
    private final class End extends Waitable implements NetProvider.Connection {
        final InetSocketAddress local;
        final InetSocketAddress remote;
        End peer;
        final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
        int headOffset;
        int inboundBytes;
        final ArrayDeque<Segment> outgoing = new ArrayDeque<>();
        int inFlight;
        World.Timer pump;
        boolean finReceived;
        boolean outputShut;
        boolean inputShut;
        boolean closed;
        boolean reset;
        String resetWhy = "Connection reset";

        End(InetSocketAddress local, InetSocketAddress remote) {
            this.local = local;
            this.remote = remote;
        }

        @Override
        public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
            SimStrand me = me();
            if (closed) {
                throw new ClosedChannelException();
            }
            long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : world.now + timeoutNanos;
            for (;;) {
                if (closed) {
                    throw new AsynchronousCloseException();
                }
                int n = readNow(dst);
                if (n != 0 || !dst.hasRemaining()) {
                    return n;
                }
                await(this, me, deadline, "read", this);
            }
        }

        /** Reads what has arrived, without waiting: 0 when nothing has (non-blocking channels). */
        int readNow(ByteBuffer dst) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (reset) {
                throw new SocketException(resetWhy);
            }
            if (inputShut) {
                return -1;
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            if (inboundBytes > 0 && !stalled.contains(local.getAddress())) {
                int n = 0;
                while (dst.hasRemaining() && !inbound.isEmpty()) {
                    byte[] head = inbound.peek();
                    int take = Math.min(dst.remaining(), head.length - headOffset);
                    dst.put(head, headOffset, take);
                    headOffset += take;
                    n += take;
                    if (headOffset == head.length) {
                        inbound.poll();
                        headOffset = 0;
                    }
                }
                inboundBytes -= n;
                peer.wakeAll(); // the window opened
                return n;
            }
            return finReceived && inboundBytes == 0 ? -1 : 0;
        }

        /** Whether a read would not wait: data, the end of the stream, or an error to report. */
        boolean readable() {
            return reset || inputShut || finReceived || (inboundBytes > 0 && !stalled.contains(local.getAddress()));
        }

        /** Whether a write would not wait: room in the window, or an error to report. */
        boolean writable() {
            return reset || outputShut || WINDOW - inFlight - peer.inboundBytes > 0;
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            SimStrand me = me();
            while (true) {
                writeNow(src);
                if (!src.hasRemaining()) {
                    return;
                }
                await(this, me, Long.MAX_VALUE, "write", this);
            }
        }

        /** Sends what the window takes now, without waiting; returns how many bytes (non-blocking channels). */
        int writeNow(ByteBuffer src) throws IOException {
            if (closed || outputShut) {
                throw new ClosedChannelException();
            }
            if (reset) {
                throw new SocketException(resetWhy);
            }
            int space = WINDOW - inFlight - peer.inboundBytes;
            if (space <= 0 || !src.hasRemaining()) {
                return 0;
            }
            byte[] data = new byte[Math.min(space, src.remaining())];
            src.get(data);
            inFlight += data.length;
            send(data);
            return data.length;
        }

        private void send(byte[] dataOrNullForFin) {
            long arrival = world.now + latency();
            Segment last = outgoing.peekLast();
            if (last != null && last.arrival > arrival) {
                arrival = last.arrival; // one direction stays in order
            }
            outgoing.add(new Segment(dataOrNullForFin, world.now, arrival));
            if (pump == null) {
                pump = world.schedule(arrival, this::deliver);
            }
        }

        /** Delivers the due segments of this end's outgoing direction, in order. */
        private void deliver() {
            pump = null;
            for (Segment s; (s = outgoing.peek()) != null && s.arrival <= world.now; ) {
                if (reset || peer.reset) {
                    outgoing.clear();
                    inFlight = 0;
                    return;
                }
                if (partitioned(local.getAddress(), remote.getAddress())) {
                    if (world.now - s.sentAt >= GIVE_UP_NANOS) {
                        world.trace.add(Trace.NET, null, local + " -> " + remote + " gave up (partition)", null);
                        resetBoth("Connection timed out");
                        return;
                    }
                    s.arrival = world.now + RETRANSMIT_NANOS;
                    break;
                }
                if (randomFault()) {
                    world.trace.add(Trace.NET, null, "random fault: reset " + local + " -> " + remote, null);
                    resetBoth("Connection reset");
                    return;
                }
                outgoing.poll();
                arrive(s);
            }
            Segment next = outgoing.peek();
            if (next != null && !reset) {
                pump = world.schedule(next.arrival, this::deliver);
            }
        }

        private void arrive(Segment s) {
            if (s.data == null) {
                peer.finReceived = true;
                peer.wakeAll();
                return;
            }
            inFlight -= s.data.length;
            if (peer.closed) {
                // Data for a closed socket: its kernel answers with a reset.
                world.schedule(world.now + latency(), () -> receiveReset("Connection reset by peer"));
                wakeAll();
                return;
            }
            if (peer.inputShut) {
                wakeAll();
                return;
            }
            peer.inbound.add(s.data);
            peer.inboundBytes += s.data.length;
            peer.wakeAll();
        }

        void receiveReset(String why) {
            if (closed || reset) {
                return;
            }
            reset = true;
            resetWhy = why;
            inbound.clear();
            headOffset = 0;
            inboundBytes = 0;
            outgoing.clear();
            inFlight = 0;
            world.trace.add(Trace.NET, null, local + " <- " + remote + ": " + why, null);
            wakeAll();
        }

        void resetBoth(String why) {
            receiveReset(why);
            peer.receiveReset(why);
        }

        @Override
        public void shutdownOutput() throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (!outputShut && !reset) {
                outputShut = true;
                send(null);
            }
        }

        @Override
        public void shutdownInput() throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            inputShut = true;
            inbound.clear();
            headOffset = 0;
            inboundBytes = 0;
            peer.wakeAll();
            wakeAll();
        }

        @Override
        public SocketAddress localAddress() {
            return local;
        }

        @Override
        public SocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            boolean unread = inboundBytes > 0;
            ends.remove(this);
            if (!reset) {
                if (unread) {
                    // Closed with input unread: the kernel resets, and the peer loses what it had not read.
                    outgoing.clear();
                    inFlight = 0;
                    world.trace.add(Trace.NET, world.current, "close " + local + " with unread input: reset", null);
                    End p = peer;
                    world.schedule(world.now + latency(), () -> p.receiveReset("Connection reset by peer"));
                } else if (!outputShut) {
                    outputShut = true;
                    send(null);
                }
            }
            closed = true;
            inbound.clear();
            inboundBytes = 0;
            wakeAll();
        }

        @Override
        public String describe() {
            return "the socket " + local.getAddress().getHostAddress() + ":" + local.getPort() + " -> "
                    + remote.getAddress().getHostAddress() + ":" + remote.getPort();
        }
    }

    // ---- selectable channels and StrandSelector, for the state-table server and other event loops ----

    /** The channels' provider: simulated channels open no JDK selector, pipe or datagram channel. */
    private static final java.nio.channels.spi.SelectorProvider NO_PROVIDER =
            new java.nio.channels.spi.SelectorProvider() {
                private UnsupportedOperationException simulated() {
                    return new UnsupportedOperationException("not simulated: use StrandSelector and StrandSocket");
                }

                @Override
                public java.nio.channels.DatagramChannel openDatagramChannel() {
                    throw simulated();
                }

                @Override
                public java.nio.channels.DatagramChannel openDatagramChannel(java.net.ProtocolFamily family) {
                    throw simulated();
                }

                @Override
                public java.nio.channels.Pipe openPipe() {
                    throw simulated();
                }

                @Override
                public java.nio.channels.spi.AbstractSelector openSelector() {
                    throw simulated();
                }

                @Override
                public java.nio.channels.ServerSocketChannel openServerSocketChannel() {
                    throw simulated();
                }

                @Override
                public java.nio.channels.SocketChannel openSocketChannel() {
                    throw simulated();
                }
            };

    /** A listener of the simulated network as a {@link java.nio.channels.ServerSocketChannel}. */
    private final class SimServerChannel extends java.nio.channels.ServerSocketChannel {
        SimListener listener;

        SimServerChannel() {
            super(NO_PROVIDER);
        }

        @Override
        public java.nio.channels.ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
            if (listener != null) {
                throw new java.nio.channels.AlreadyBoundException();
            }
            listener = (SimListener) provider.bind(local, backlog);
            return this;
        }

        @Override
        public <T> java.nio.channels.ServerSocketChannel setOption(java.net.SocketOption<T> name, T value) {
            return this; // options change nothing in the simulation
        }

        @Override
        public <T> T getOption(java.net.SocketOption<T> name) {
            return null;
        }

        @Override
        public Set<java.net.SocketOption<?>> supportedOptions() {
            return Set.of();
        }

        @Override
        public java.net.ServerSocket socket() {
            throw new UnsupportedOperationException("a simulated channel has no java.net.ServerSocket");
        }

        @Override
        public java.nio.channels.SocketChannel accept() throws IOException {
            if (!isOpen() || (listener != null && listener.closed)) {
                throw new ClosedChannelException();
            }
            if (listener == null) {
                throw new java.nio.channels.NotYetBoundException();
            }
            if (isBlocking()) {
                return new SimSocketChannel((End) listener.accept(Long.MAX_VALUE));
            }
            End e = listener.take();
            return e == null ? null : new SimSocketChannel(e);
        }

        @Override
        public SocketAddress getLocalAddress() {
            return listener == null ? null : listener.address;
        }

        @Override
        protected void implCloseSelectableChannel() {
            if (listener != null) {
                listener.close();
            }
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            // both modes are served by the same calls
        }
    }

    /** A connection of the simulated network as a {@link java.nio.channels.SocketChannel}. */
    private final class SimSocketChannel extends java.nio.channels.SocketChannel {
        final End end;

        SimSocketChannel(End end) {
            super(NO_PROVIDER);
            this.end = end;
        }

        @Override
        public java.nio.channels.SocketChannel bind(SocketAddress local) {
            throw new java.nio.channels.AlreadyBoundException();
        }

        @Override
        public <T> java.nio.channels.SocketChannel setOption(java.net.SocketOption<T> name, T value) {
            return this;
        }

        @Override
        public <T> T getOption(java.net.SocketOption<T> name) {
            return null;
        }

        @Override
        public Set<java.net.SocketOption<?>> supportedOptions() {
            return Set.of();
        }

        @Override
        public java.nio.channels.SocketChannel shutdownInput() throws IOException {
            end.shutdownInput();
            return this;
        }

        @Override
        public java.nio.channels.SocketChannel shutdownOutput() throws IOException {
            end.shutdownOutput();
            return this;
        }

        @Override
        public java.net.Socket socket() {
            throw new UnsupportedOperationException("a simulated channel has no java.net.Socket");
        }

        @Override
        public boolean isConnected() {
            return !end.closed;
        }

        @Override
        public boolean isConnectionPending() {
            return false;
        }

        @Override
        public boolean connect(SocketAddress remote) {
            throw new java.nio.channels.AlreadyConnectedException();
        }

        @Override
        public boolean finishConnect() {
            return true;
        }

        @Override
        public SocketAddress getRemoteAddress() {
            return end.remote;
        }

        @Override
        public SocketAddress getLocalAddress() {
            return end.local;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return isBlocking() ? end.read(dst, Long.MAX_VALUE) : end.readNow(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = read(dsts[i]);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
                if (dsts[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (isBlocking()) {
                int n = src.remaining();
                end.write(src);
                return n;
            }
            return end.writeNow(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
                if (srcs[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        @Override
        protected void implCloseSelectableChannel() {
            end.close();
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            // both modes are served by the same calls
        }
    }

    /**
     * {@link io.github.hilos.net.StrandSelector} over simulated channels: level-triggered readiness computed from the
     * channels' state, keys reported in registration order, the selecting strand parked on every registered channel
     * (woken by arrivals, window space, resets, closes and backlogs), a timeout in virtual time.
     */
    private final class SimSelector extends io.github.hilos.net.StrandSelector {
        private final ArrayList<SimKey> keys = new ArrayList<>();
        private SimStrand selecting;
        private boolean woken;
        private boolean closed;

        @Override
        public Key register(java.nio.channels.SelectableChannel channel, int ops, Object attachment) {
            if (closed) {
                throw new java.nio.channels.ClosedSelectorException();
            }
            if (!(channel instanceof SimSocketChannel) && !(channel instanceof SimServerChannel)) {
                throw new IllegalArgumentException("a simulated selector takes the simulated network's channels"
                        + " (StrandSelector.openServerChannel() and what it accepts): " + channel);
            }
            if (channel.isBlocking()) {
                throw new java.nio.channels.IllegalBlockingModeException();
            }
            for (SimKey k : keys) {
                if (k.channel == channel && k.valid) {
                    k.ops = ops;
                    k.attachment = attachment;
                    return k;
                }
            }
            SimKey k = new SimKey(channel, ops, attachment);
            keys.add(k);
            return k;
        }

        @Override
        public int select(Duration timeout, java.util.function.Consumer<Key> action) throws IOException {
            if (closed) {
                throw new java.nio.channels.ClosedSelectorException();
            }
            SimStrand me = me();
            long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
            long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : world.now + nanos;
            for (;;) {
                keys.removeIf(k -> !k.isValid());
                List<SimKey> ready = new ArrayList<>();
                for (SimKey k : keys) {
                    k.ready = k.ops & readiness(k.channel);
                    if (k.ready != 0) {
                        ready.add(k);
                    }
                }
                if (!ready.isEmpty()) {
                    for (SimKey k : ready) {
                        if (k.isValid()) {
                            action.accept(k);
                        }
                    }
                    return ready.size();
                }
                if (woken || nanos == 0 || (deadline != Long.MAX_VALUE && world.now >= deadline)) {
                    woken = false;
                    return 0;
                }
                List<Waitable> on = new ArrayList<>();
                for (SimKey k : keys) {
                    Waitable w = waitable(k.channel);
                    if (w != null) {
                        w.waiters.add(me);
                        on.add(w);
                    }
                }
                selecting = me;
                try {
                    if (deadline == Long.MAX_VALUE) {
                        Strand.park(this);
                    } else {
                        Strand.parkNanos(this, deadline - world.now);
                    }
                } finally {
                    selecting = null;
                    for (Waitable w : on) {
                        w.waiters.remove(me);
                    }
                }
                if (Strand.current().isInterrupted()) {
                    return 0; // as a JDK selector: an interrupt ends the select, the status stays set
                }
            }
        }

        private Waitable waitable(java.nio.channels.SelectableChannel channel) {
            if (channel instanceof SimSocketChannel c) {
                return c.end;
            }
            return channel instanceof SimServerChannel s ? s.listener : null;
        }

        private int readiness(java.nio.channels.SelectableChannel channel) {
            if (channel instanceof SimSocketChannel c) {
                return (c.end.readable() ? java.nio.channels.SelectionKey.OP_READ : 0)
                        | (c.end.writable() ? java.nio.channels.SelectionKey.OP_WRITE : 0);
            }
            SimListener l = ((SimServerChannel) channel).listener;
            return l != null && (l.closed || !l.backlog.isEmpty()) ? java.nio.channels.SelectionKey.OP_ACCEPT : 0;
        }

        @Override
        public void wakeup() {
            if (world.onWorldThread()) {
                woken = true;
                SimStrand s = selecting;
                if (s != null) {
                    s.unpark();
                }
            } else {
                world.fromOutside(this::wakeup);
            }
        }

        @Override
        public void close() {
            closed = true;
            for (SimKey k : keys) {
                k.valid = false;
            }
            keys.clear();
            wakeup();
        }

        @Override
        public String toString() {
            return "a selector";
        }

        private final class SimKey implements Key {
            final java.nio.channels.SelectableChannel channel;
            int ops;
            Object attachment;
            int ready;
            boolean valid = true;

            SimKey(java.nio.channels.SelectableChannel channel, int ops, Object attachment) {
                this.channel = channel;
                this.ops = ops;
                this.attachment = attachment;
            }

            @Override
            public java.nio.channels.SelectableChannel channel() {
                return channel;
            }

            @Override
            public Object attachment() {
                return attachment;
            }

            @Override
            public int interestOps() {
                return ops;
            }

            @Override
            public void interestOps(int newOps) {
                if (!isValid()) {
                    throw new java.nio.channels.CancelledKeyException();
                }
                ops = newOps;
            }

            @Override
            public int readyOps() {
                return ready;
            }

            @Override
            public void cancel() {
                valid = false;
            }

            @Override
            public boolean isValid() {
                return valid && !closed && channel.isOpen();
            }
        }
    }
}
