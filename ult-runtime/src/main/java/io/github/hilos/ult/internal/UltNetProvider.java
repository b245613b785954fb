package io.github.hilos.ult.internal;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.NetProvider;
import io.github.hilos.spi.SocketChannelConnection;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Sockets for strands of one carrier: non-blocking channels registered with the carrier's selector. An
 * operation that would block registers interest, parks the strand (with a timer for a timeout) and retries
 * when the carrier's poll reports the socket ready; the carrier runs other strands meanwhile.
 *
 * <p>A socket is registered with the selector of the carrier that opened (or accepted) it, and may be used by
 * strands of the same runtime on any of its carriers: a strand on another carrier changes the key's interest
 * (thread-safe since JDK 11) and wakes the owning carrier's selector, and readiness reaches it through the
 * cross-carrier unpark. Using it from any other thread fails with a clear {@link IllegalStateException}. Interrupting a strand blocked in a socket closes the socket and throws
 * {@link ClosedByInterruptException}, as the JDK's blocking channels do; closing it from elsewhere wakes the
 * blocked strand with {@link AsynchronousCloseException}.
 */
final class UltNetProvider implements NetProvider {

    private final Carrier carrier;

    UltNetProvider(Carrier carrier) {
        this.carrier = carrier;
    }

    @Override
    public Listener bind(SocketAddress local, int backlog) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.bind(local, backlog);
            return new UltListener(channel, register(channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Connection connect(SocketAddress remote, long timeoutNanos) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = register(channel);
            long deadline = deadline(timeoutNanos);
            if (!channel.connect(remote)) {
                while (!channel.finishConnect()) {
                    await(channel, key, SelectionKey.OP_CONNECT, deadline, "connect", () -> closeAndWake(channel, key));
                }
            }
            return new UltConnection(channel, key);
        } catch (IOException | RuntimeException e) {
            channel.close();
            carrier.flushClosed(channel);
            throw e;
        }
    }

    /** A selector on the calling strand's carrier, which must be the carrier of this provider. */
    @Override
    public io.github.hilos.net.StrandSelector openSelector() {
        Carrier here = checkCarrier();
        return new UltSelector(here);
    }

    private SelectionKey register(SelectableChannel channel) throws IOException {
        checkCarrier();
        SelectionKey key = channel.register(carrier.selector, 0, new PollState(carrier));
        return key;
    }

    /** The calling strand's carrier, which must be one of this socket's runtime. */
    private Carrier checkCarrier() {
        Carrier here = Carrier.ofCurrentThread();
        if (here == null || here.runtime != carrier.runtime || here.mounted() == null) {
            throw new IllegalStateException("a socket of runtime '" + carrier.runtime.name()
                    + "' is used by that runtime's strands only, not from " + Thread.currentThread().getName());
        }
        return here;
    }

    private static long deadline(long timeoutNanos) {
        return timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : io.github.hilos.spi.Durations.deadline(timeoutNanos);
    }

    /** Closes a channel, wakes the strands waiting on it, and lets each selector that holds it drop its key. */
    private static void closeAndWake(SelectableChannel channel, SelectionKey... keys) throws IOException {
        try {
            channel.close();
        } finally {
            for (SelectionKey k : keys) {
                ((PollState) k.attachment()).wakeAll();
            }
            for (SelectionKey k : keys) {
                ((PollState) k.attachment()).owner.flushClosed(channel);
            }
        }
    }

    /** Parks the calling strand until {@code op} is ready on {@code key}, or the deadline passes. */
    private void await(SelectableChannel channel, SelectionKey key, int op, long deadline, String what,
                       java.io.Closeable closeOnInterrupt) throws IOException {
        Carrier here = checkCarrier();
        PollState state = (PollState) key.attachment();
        Carrier owner = state.owner;
        boolean inbound = (op & PollState.INBOUND) != 0;
        UltStrand me = here.mounted();
        UltStrand other = inbound ? state.inbound : state.outbound;
        if (other != null) {
            throw new IllegalStateException("strand " + me.name() + " waits to " + what + " on a socket that strand "
                    + other.name() + " already waits on; one reader and one writer at a time");
        }
        if (inbound) {
            state.inbound = me;
            state.inboundReady = false;
        } else {
            state.outbound = me;
            state.outboundReady = false;
        }
        try {
            try {
                int interest = key.interestOps();
                if ((interest & op) == 0) {
                    key.interestOps(interest | op); // inbound interest often stays from the last wait: no syscall
                }
            } catch (CancelledKeyException closed) {
                throw new AsynchronousCloseException();
            }
            if (here != owner) {
                owner.wake(); // the key is in another carrier's selector: make it select with the new interest
            }
            while (!(inbound ? state.inboundReady : state.outboundReady)) {
                if (me.isInterrupted()) {
                    closeOnInterrupt.close();
                    throw new ClosedByInterruptException();
                }
                if (!channel.isOpen()) {
                    throw new AsynchronousCloseException();
                }
                if (deadline == Long.MAX_VALUE) {
                    Strand.park();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException(what + " timed out");
                    }
                    Strand.parkNanos(left);
                }
            }
        } finally {
            if (inbound) {
                state.inbound = null;
            } else {
                state.outbound = null;
            }
            if (!inbound && key.isValid()) {
                try {
                    key.interestOps(key.interestOps() & ~op);
                } catch (CancelledKeyException closedMeanwhile) {
                    // nothing left to clear
                }
            }
            // An inbound interest stays: PollState.onReady clears it if readiness comes with no waiter.
        }
    }

    private final class UltListener implements Listener {
        private final ServerSocketChannel channel;
        private final SelectionKey key;

        UltListener(ServerSocketChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }

        @Override
        public Connection accept(long timeoutNanos) throws IOException {
            checkCarrier();
            long deadline = deadline(timeoutNanos);
            for (;;) {
                SocketChannel accepted = channel.accept();
                if (accepted != null) {
                    try {
                        accepted.configureBlocking(false);
                        accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        return new UltConnection(accepted, register(accepted));
                    } catch (IOException | RuntimeException e) {
                        accepted.close();
                        throw e;
                    }
                }
                await(channel, key, SelectionKey.OP_ACCEPT, deadline, "accept", this);
            }
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            closeAndWake(channel, key);
        }
    }

    /**
     * A connection registered, lazily, with the selector of each carrier whose strands wait on it: strands never
     * leave their carrier, so the strand serving a connection (often stolen by another carrier than the one that
     * accepted it) waits on its own carrier's poller, without cross-carrier wake-ups, and keeps its inbound
     * interest between requests. A channel may be registered with several selectors at once; the keys of the
     * other carriers have no interest.
     */
    private final class UltConnection extends SocketChannelConnection {
        /** One key per carrier the connection was waited on from, the opening carrier's first; copy on write. */
        private volatile SelectionKey[] keys;

        UltConnection(SocketChannel channel, SelectionKey key) {
            super(channel);
            this.keys = new SelectionKey[] {key};
        }

        /** This carrier's key, registering the channel with its selector on first use; its carrier thread only. */
        private SelectionKey keyFor(Carrier here) throws IOException {
            for (SelectionKey k : keys) {
                if (k.selector() == here.selector) {
                    return k;
                }
            }
            synchronized (this) {
                if (!channel.isOpen()) {
                    throw new AsynchronousCloseException();
                }
                SelectionKey k = channel.register(here.selector, 0, new PollState(here));
                SelectionKey[] more = java.util.Arrays.copyOf(keys, keys.length + 1);
                more[keys.length] = k;
                keys = more;
                return k;
            }
        }

        @Override
        public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
            Carrier here = checkCarrier();
            long deadline = deadline(timeoutNanos);
            for (;;) {
                int n = channel.read(dst);
                if (n != 0 || !dst.hasRemaining()) {
                    return n;
                }
                await(channel, keyFor(here), SelectionKey.OP_READ, deadline, "read", this);
            }
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            Carrier here = checkCarrier();
            while (src.hasRemaining()) {
                if (channel.write(src) == 0) {
                    await(channel, keyFor(here), SelectionKey.OP_WRITE, Long.MAX_VALUE, "write", this);
                }
            }
        }

        @Override
        public void close() throws IOException {
            SelectionKey[] all;
            synchronized (this) {
                all = keys;
                channel.close(); // under the lock: no carrier registers the channel after this
            }
            closeAndWake(channel, all);
        }
    }
}
