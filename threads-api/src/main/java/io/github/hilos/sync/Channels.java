package io.github.hilos.sync;

/** Makes {@link Channel}s. */
public final class Channels {

    private Channels() {
    }

    /**
     * Makes a channel that buffers up to {@code capacity} values; a send waits while the buffer is full.
     *
     * @param capacity the buffer size; positive
     * @param <T> the value type
     * @return the channel
     */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("bounded channel capacity must be positive: " + capacity
                    + " (use Channels.rendezvous() for an unbuffered channel)");
        }
        return new BufferedChannel<>(capacity);
    }

    /**
     * Makes an unbuffered channel: each send waits until a receiver takes its value.
     *
     * @param <T> the value type
     * @return the channel
     */
    public static <T> Channel<T> rendezvous() {
        return new BufferedChannel<>(0);
    }

    /**
     * Makes a channel whose sends never wait (memory is the limit).
     *
     * @param <T> the value type
     * @return the channel
     */
    public static <T> Channel<T> unbounded() {
        return new BufferedChannel<>(Integer.MAX_VALUE);
    }
}
