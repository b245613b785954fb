package io.github.hilos.sync;

import java.time.Duration;

/**
 * A typed queue between strands (of any runtimes) and threads, as in CSP and Go: buffered
 * ({@link Channels#bounded(int)}), unbuffered ({@link Channels#rendezvous()}: a send waits for its receiver)
 * or unbounded ({@link Channels#unbounded()}).
 *
 * <p>Guarantees: every value sent is received exactly once, in the order of the sends that completed; waiting
 * senders and receivers are served in FIFO order. {@link #close()} stops new sends at once; receivers still
 * get every value that was sent before, then {@link ChannelClosedException}; senders still waiting when the
 * channel closes get {@link ChannelClosedException} and keep their value. Null values are refused.
 *
 * <p>Channels are made by {@link Channels} only; {@link Select} waits on several at once.
 *
 * @param <T> the value type
 */
public sealed interface Channel<T> extends AutoCloseable, Iterable<T> permits BufferedChannel {

    /**
     * Sends a value, waiting for buffer space or, on a rendezvous channel, for a receiver.
     *
     * @param value the value, not null
     * @throws ChannelClosedException if the channel is closed before or while waiting (the value was not sent)
     * @throws InterruptedException if interrupted while waiting (the value was not sent)
     */
    void send(T value) throws InterruptedException;

    /**
     * Sends a value, waiting at most {@code timeout}.
     *
     * @param value the value, not null
     * @param timeout the longest wait; must not be negative
     * @return whether the value was sent
     * @throws ChannelClosedException if the channel is closed
     * @throws InterruptedException if interrupted while waiting (the value was not sent)
     */
    boolean send(T value, Duration timeout) throws InterruptedException;

    /**
     * Sends a value if that can be done without waiting.
     *
     * @param value the value, not null
     * @return whether the value was sent
     * @throws ChannelClosedException if the channel is closed
     */
    boolean trySend(T value);

    /**
     * Receives a value, waiting for one.
     *
     * @return the value
     * @throws ChannelClosedException if the channel is closed and every value has been received
     * @throws InterruptedException if interrupted while waiting
     */
    T receive() throws InterruptedException;

    /**
     * Receives a value, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait; must not be negative
     * @return the value, or {@code null} on timeout
     * @throws ChannelClosedException if the channel is closed and every value has been received
     * @throws InterruptedException if interrupted while waiting
     */
    T receive(Duration timeout) throws InterruptedException;

    /**
     * Receives a value if one is available now.
     *
     * @return the value, or {@code null} if none is available
     * @throws ChannelClosedException if the channel is closed and every value has been received
     */
    T tryReceive();

    /** Closes the channel for sending; idempotent. Values already sent can still be received. */
    @Override
    void close();

    /**
     * Tells whether {@link #close()} has been called.
     *
     * @return whether the channel is closed for sending
     */
    boolean isClosed();

    /**
     * Returns the buffer capacity.
     *
     * @return 0 for a rendezvous channel, {@link Integer#MAX_VALUE} for an unbounded one
     */
    int capacity();

    /**
     * Iterates over the values received, in order: {@code for (T x : channel)} receives until the channel is
     * closed and drained, then ends. Each {@code hasNext()} may wait (parking only the strand). An interrupt while
     * waiting ends the iteration with a {@link java.util.concurrent.CancellationException}, the interrupt status
     * kept. Every iterator receives from the same channel: two loops over one channel share its values.
     *
     * @return an iterator that receives
     */
    @Override
    default java.util.Iterator<T> iterator() {
        return new java.util.Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    next = receive();
                    return true;
                } catch (ChannelClosedException drained) {
                    return false;
                } catch (InterruptedException e) {
                    io.github.hilos.api.Strand.current().interrupt();
                    java.util.concurrent.CancellationException c = new java.util.concurrent.CancellationException(
                            "interrupted while iterating over a channel");
                    c.initCause(e);
                    throw c;
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("the channel is closed and drained");
                }
                T value = next;
                next = null;
                return value;
            }
        };
    }
}
