package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The runtime a TCK test gets: the real one, except that {@code close()} gives up after {@link Tck#HANG} and
 * fails, so that a test whose strands are stuck reports its own failure instead of hanging in close.
 */
final class HangSafeRuntime implements StrandRuntime {

    private final StrandRuntime runtime;

    HangSafeRuntime(StrandRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return runtime.name();
    }

    @Override
    public Strand spawn(Runnable task) {
        return runtime.spawn(task);
    }

    @Override
    public Strand spawn(String name, Runnable task) {
        return runtime.spawn(name, task);
    }

    @Override
    public <T> T run(Callable<T> task) throws Exception {
        return runtime.run(task);
    }

    @Override
    public void close() {
        if (!runtime.close(Tck.HANG)) {
            throw new AssertionError("runtime " + runtime + " still has live strands " + Tck.HANG + " after close()");
        }
    }

    @Override
    public boolean close(Duration timeout) {
        return runtime.close(timeout);
    }

    @Override
    public String toString() {
        return runtime.toString();
    }
}
