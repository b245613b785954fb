package io.github.hilos.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link java.util.concurrent.ExecutorService} of {@link StrandRuntime#executor()}: each task runs as a
 * strand of the runtime, so {@code CompletableFuture.supplyAsync(task, executor)} and third-party code that takes
 * an executor run on strands. Shutting it down stops it from accepting tasks; the runtime stays open.
 * {@link #shutdownNow()} interrupts the running tasks; no task waits in a queue (each is a strand at once), so it
 * returns an empty list. Thread-safe.
 */
final class StrandExecutor extends AbstractExecutorService {

    private final StrandRuntime runtime;
    private final Set<Strand> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private final AtomicBoolean completing = new AtomicBoolean();
    private final io.github.hilos.spi.StrandCompletion terminated = new io.github.hilos.spi.StrandCompletion();
    /** Tasks started and not ended, plus one while not shut down; reaching 0 terminates the executor. */
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong(1);

    StrandExecutor(StrandRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        pending.incrementAndGet(); // first: a shutdown racing this cannot see 0 pending and terminate meanwhile
        if (shutdown.get()) {
            ended();
            throw new RejectedExecutionException("the strand executor of runtime '" + runtime.name()
                    + "' is shut down");
        }
        try {
            runtime.spawn(runtime.name() + "-executor", () -> {
                Strand me = Strand.current();
                running.add(me); // by the strand itself: added before, removed after, whatever the timing
                try {
                    command.run();
                } finally {
                    running.remove(me);
                    ended();
                }
            });
        } catch (IllegalStateException closed) {
            ended();
            throw new RejectedExecutionException("runtime '" + runtime.name() + "' is closed", closed);
        }
    }

    private void ended() {
        // After termination, a refused execute still counts up and down through 0: complete once only.
        if (pending.decrementAndGet() == 0 && completing.compareAndSet(false, true)) {
            terminated.complete();
        }
    }

    @Override
    public void shutdown() {
        if (shutdown.compareAndSet(false, true)) {
            ended(); // the "not shut down" count
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (Strand s : running) {
            s.interrupt();
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown.get();
    }

    @Override
    public boolean isTerminated() {
        return terminated.isDone();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.awaitNanos(unit.toNanos(timeout));
    }

    @Override
    public String toString() {
        return "StrandExecutor[" + runtime.name() + (shutdown.get() ? ", shut down" : "") + ", running "
                + running.size() + "]";
    }
}
