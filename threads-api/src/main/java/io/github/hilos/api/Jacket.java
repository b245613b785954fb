package io.github.hilos.api;

import io.github.hilos.spi.StrandCarrier;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The chapter's <em>jacket</em>: wraps a blocking call so that it blocks only the calling strand, not the other
 * strands of its runtime. On kernel-thread runtimes (and plain threads) the call simply runs inline, since there
 * blocking a strand blocks nothing else; user-level runtimes run it on a pool of kernel threads and park the
 * strand meanwhile.
 */
public final class Jacket {

    private Jacket() {
    }

    /**
     * Runs a blocking call (file I/O, DNS, JDBC, {@code Process.waitFor}, ...) without blocking other strands.
     *
     * @param task the call
     * @param <T> its result type
     * @return its result
     * @throws Exception what the call throws
     */
    public static <T> T call(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() instanceof StrandCarrier carrier && carrier.currentStrand() != null) {
            return carrier.jacket(task);
        }
        return task.call();
    }
}
