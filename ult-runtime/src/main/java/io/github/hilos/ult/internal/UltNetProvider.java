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
import java.util.ArrayList;
import java.util.List;

/**
 * Sockets for strands of one carrier: non-blocking channels registered with the carrier's selector. An
 * operation that would block registers interest, parks the strand (with a timer for a timeout) and retries
 * when the carrier's poll reports the socket ready; the carrier runs other strands meanwhile.
 *
 * <p>A socket is registered, lazily, with the selector of each carrier whose strands wait on it
 * ({@link Registrations}): strands never leave their carrier, so each waits on its own carrier's poller, with no
 * cross-carrier wake-up, and the strand serving a connection keeps its inbound interest between requests. It may
 * be used by strands of the same runtime on any of its carriers; using it from any other thread fails with a
 * clear {@link IllegalStateException}. Interrupting a strand blocked in a socket closes the socket and throws
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
            return new UltListener(channel, new Registrations(channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Connection connect(SocketAddress remote, long timeoutNanos) throws IOException {
        Carrier here = checkCarrier();
        SocketChannel channel = SocketChannel.open();
        Registrations keys = new Registrations(channel);
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            long deadline = deadline(timeoutNanos);
            if (!channel.connect(remote)) {
                while (!channel.finishConnect()) {
                    await(channel, keys.keyFor(here), SelectionKey.OP_CONNECT, deadline, "connect", keys::close);
                }
            }
            return new UltConnection(channel, keys);
        } catch (IOException | RuntimeException e) {
            keys.close();
            throw e;
        }
    }

    /** A selector on the calling strand's carrier, which must be the carrier of this provider. */
    @Override
    public io.github.hilos.net.StrandSelector openSelector() {
        Carrier here = checkCarrier();
        return new UltSelector(here);
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
        private final Registrations keys;

        UltListener(ServerSocketChannel channel, Registrations keys) {
            this.channel = channel;
            this.keys = keys;
        }

        @Override
        public Connection accept(long timeoutNanos) throws IOException {
            Carrier here = checkCarrier();
            long deadline = deadline(timeoutNanos);
            for (;;) {
                SocketChannel accepted = channel.accept();
                if (accepted != null) {
                    try {
                        accepted.configureBlocking(false);
                        accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        // no key yet: the strand that serves it (often on another carrier) registers it
                        return new UltConnection(accepted, new Registrations(accepted));
                    } catch (IOException | RuntimeException e) {
                        accepted.close();
                        throw e;
                    }
                }
                await(channel, keys.keyFor(here), SelectionKey.OP_ACCEPT, deadline, "accept", keys::close);
            }
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            keys.close();
        }
    }

    /**
     * The keys of one channel: one per carrier whose strands waited on it, registered on first use (a channel may
     * be registered with several selectors at once; the keys of other carriers have no interest). Copy on write
     * under this object's lock, which {@link #close()} also takes, so that no key is registered after the close
     * and every key registered before it is flushed.
     */
    private static final class Registrations {
        private final SelectableChannel channel;
        private volatile SelectionKey[] keys = new SelectionKey[0];

        Registrations(SelectableChannel channel) {
            this.channel = channel;
        }

        /** This carrier's key, registering the channel with its selector on first use; its carrier thread only. */
        SelectionKey keyFor(Carrier here) throws IOException {
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
                List<SelectionKey> live = new ArrayList<>(keys.length + 1);
                for (SelectionKey old : keys) {
                    if (old.isValid()) { // a retired spare carrier's key is dropped
                        live.add(old);
                    }
                }
                live.add(k);
                keys = live.toArray(SelectionKey[]::new);
                return k;
            }
        }

        /** Closes the channel, then wakes the waiters of every key and lets each selector drop its key. */
        void close() throws IOException {
            SelectionKey[] all;
            IOException failure = null;
            synchronized (this) { // no park in here: a monitor held across a park can deadlock a carrier
                all = keys;
                try {
                    channel.close(); // under the lock: no carrier registers the channel after this
                } catch (IOException e) {
                    failure = e;
                }
            }
            closeAndWake(all); // outside the lock: it may park while other carriers drop their keys
            if (failure != null) {
                throw failure;
            }
        }

        private void closeAndWake(SelectionKey[] all) {
            for (SelectionKey k : all) {
                ((PollState) k.attachment()).wakeAll();
            }
            for (SelectionKey k : all) {
                ((PollState) k.attachment()).owner.flushClosed(channel);
            }
        }
    }

    /** A connection: its channel and its {@link Registrations}. */
    private final class UltConnection extends SocketChannelConnection {
        private final Registrations keys;

        UltConnection(SocketChannel channel, Registrations keys) {
            super(channel);
            this.keys = keys;
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
                await(channel, keys.keyFor(here), SelectionKey.OP_READ, deadline, "read", keys::close);
            }
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            Carrier here = checkCarrier();
            while (src.hasRemaining()) {
                if (channel.write(src) == 0) {
                    await(channel, keys.keyFor(here), SelectionKey.OP_WRITE, Long.MAX_VALUE, "write", keys::close);
                }
            }
        }

        @Override
        public void close() throws IOException {
            keys.close();
        }
    }
}
