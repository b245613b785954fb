package io.github.hilos.sync;

import java.io.Serial;

/**
 * Thrown by a send on a closed channel, and by a receive on a channel that is closed and drained: the clear
 * "no more values" signal. A sender that gets it still holds its value: nothing was delivered.
 */
public final class ChannelClosedException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception.
     *
     * @param message what was attempted on which channel
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
