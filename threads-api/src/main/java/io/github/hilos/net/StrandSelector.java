package io.github.hilos.net;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Readiness multiplexing for one strand: the non-blocking I/O of an event loop or a state-table server, on any
 * runtime. {@link #select} waits until a registered channel is ready, a timeout passes or {@link #wakeup()} is
 * called, and reports each ready key; while it waits, only its strand waits: a user-level runtime runs its other
 * strands, and the channels are polled by the carrier's own poller. Readiness is level-triggered, as with
 * {@link java.nio.channels.Selector}: a channel left readable is reported again by the next select.
 *
 * <p>Open it in the strand that will select, and register and select from that strand only (on user-level
 * runtimes the channels join its carrier's poller); {@link #wakeup()} may come from any thread. Channels must be
 * non-blocking. Runtimes provide their own implementation through
 * {@link io.github.hilos.spi.NetProvider#openSelector()}; the default one is a {@link java.nio.channels.Selector}.
 */
public abstract class StrandSelector implements Closeable {

    /** For implementations. */
    protected StrandSelector() {
    }

    /**
     * Opens a selector for the calling strand's runtime.
     *
     * @return the selector
     * @throws IOException if it cannot be opened
     */
    public static StrandSelector open() throws IOException {
        return Sockets.provider().openSelector();
    }

    /**
     * Opens an unbound server channel for the calling strand's runtime, to register with its selectors: a JDK
     * {@link java.nio.channels.ServerSocketChannel} on every runtime but the simulated one, where it is a listener
     * of the simulated network.
     *
     * @return the channel
     * @throws IOException if it cannot be opened
     */
    public static java.nio.channels.ServerSocketChannel openServerChannel() throws IOException {
        return Sockets.provider().openServerSocketChannel();
    }

    /**
     * Registers a non-blocking channel.
     *
     * @param channel the channel, in non-blocking mode
     * @param ops the {@link SelectionKey} operations of interest
     * @param attachment what the key carries back
     * @return the key
     * @throws IOException on error
     * @throws java.nio.channels.IllegalBlockingModeException if the channel is blocking
     */
    public abstract Key register(SelectableChannel channel, int ops, Object attachment) throws IOException;

    /**
     * Waits until at least one key is ready, {@code timeout} passes or {@link #wakeup()} is called, then passes
     * each ready key to {@code action}.
     *
     * @param timeout the longest wait; zero polls without waiting
     * @param action what to do with each ready key
     * @return the number of keys reported
     * @throws IOException on error
     */
    public abstract int select(Duration timeout, Consumer<Key> action) throws IOException;

    /** Makes the current or the next {@link #select} return at once; any thread. */
    public abstract void wakeup();

    /** Cancels every key and releases the selector; the channels stay open. */
    @Override
    public abstract void close() throws IOException;

    /** A channel's registration. Used from the selecting strand only. */
    public interface Key {

        /**
         * Returns the channel.
         *
         * @return the channel
         */
        SelectableChannel channel();

        /**
         * Returns the attachment given at registration.
         *
         * @return the attachment
         */
        Object attachment();

        /**
         * Returns the operations of interest.
         *
         * @return the operations of interest
         */
        int interestOps();

        /**
         * Changes the operations of interest.
         *
         * @param ops the new operations ({@link SelectionKey} bits)
         */
        void interestOps(int ops);

        /**
         * Returns the operations found ready by the select that reported this key.
         *
         * @return the ready operations
         */
        int readyOps();

        /** Deregisters the channel (closing the channel also does). */
        void cancel();

        /**
         * Tells whether the key is still registered.
         *
         * @return whether it is valid
         */
        boolean isValid();
    }
}
