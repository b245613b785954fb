package io.github.hilos.ult.internal;

import java.util.function.Supplier;

/**
 * The runtime's log ({@code io.github.hilos.ult} through {@link System.Logger}), written so that logging never
 * throws: a carrier, watchdog or compensator thread reports a failure and goes on, and under memory pressure
 * (an {@link OutOfMemoryError} while building the message or inside the logger) the line is dropped, not the
 * thread. Messages are built lazily, inside the guard.
 */
final class Log {

    private static final System.Logger LOG = System.getLogger("io.github.hilos.ult");

    private Log() {
    }

    static void error(Supplier<String> message, Throwable failure) {
        log(System.Logger.Level.ERROR, message, failure);
    }

    static void warning(Supplier<String> message, Throwable failure) {
        log(System.Logger.Level.WARNING, message, failure);
    }

    /**
     * Reports that {@code who} recovered from {@code failure}, from a catch block that must not throw: the message
     * is built inside the guard, and the call itself allocates nothing (no capturing lambda), so it is safe when
     * the heap is exhausted.
     */
    static void recovered(String who, Object subject, Throwable failure) {
        try {
            if (LOG.isLoggable(System.Logger.Level.ERROR)) {
                LOG.log(System.Logger.Level.ERROR, who + " " + subject + " recovered from a failure; it goes on",
                        failure);
            }
        } catch (Throwable dropped) {
            // as in log(): the line is lost, the thread goes on
        }
    }

    static void log(System.Logger.Level level, Supplier<String> message, Throwable failure) {
        try {
            if (!LOG.isLoggable(level)) {
                return;
            }
            if (failure == null) {
                LOG.log(level, message);
            } else {
                LOG.log(level, message, failure);
            }
        } catch (Throwable dropped) {
            // Out of memory, or a broken logger: lose the line, keep the thread (and the runtime) alive.
        }
    }
}
