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
                    await(channel, key, SelectionKey.OP_CONNECT, deadline, "connect");
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

    /** Closes a channel, wakes the strands waiting on it, and lets the selector drop its key. */
    private void closeAndWake(SelectableChannel channel, PollState state) throws IOException {
        try {
            channel.close();
        } finally {
            state.wakeAll();
            carrier.flushClosed(channel);
        }
    }

    /** Parks the calling strand until {@code op} is ready on {@code key}, or the deadline passes. */
    private void await(SelectableChannel channel, SelectionKey key, int op, long deadline, String what) throws IOException {
        Carrier here = checkCarrier();
        PollState state = (PollState) key.attachment();
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
            if (here != carrier) {
                carrier.wake(); // the key is in another carrier's selector: make it select with the new interest
            }
            while (!(inbound ? state.inboundReady : state.outboundReady)) {
                if (me.isInterrupted()) {
                    closeAndWake(channel, state);
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
                await(channel, key, SelectionKey.OP_ACCEPT, deadline, "accept");
            }
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            closeAndWake(channel, (PollState) key.attachment());
        }
    }

    private final class UltConnection extends SocketChannelConnection {
        private final SelectionKey key;

        UltConnection(SocketChannel channel, SelectionKey key) {
            super(channel);
            this.key = key;
        }

        @Override
        public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
            checkCarrier();
            long deadline = deadline(timeoutNanos);
            for (;;) {
                int n = channel.read(dst);
                if (n != 0 || !dst.hasRemaining()) {
                    return n;
                }
                await(channel, key, SelectionKey.OP_READ, deadline, "read");
            }
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            checkCarrier();
            while (src.hasRemaining()) {
                if (channel.write(src) == 0) {
                    await(channel, key, SelectionKey.OP_WRITE, Long.MAX_VALUE, "write");
                }
            }
        }

        @Override
        public void close() throws IOException {
            closeAndWake(channel, (PollState) key.attachment());
        }
    }
}
