package io.github.hilos.klt;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;
import io.github.hilos.spi.AbstractStrandRuntime;

import java.util.function.Supplier;

/**
 * A runtime whose strands are JDK threads, one thread per strand: platform threads for {@code klt} (the
 * chapter's kernel-level threads, 1:1, scheduled by the operating system) or virtual threads for
 * {@code jdk-virtual} (the JDK's own M:N scheduler, the reference that benchmarks compare against).
 *
 * <p>There is nothing to schedule here: the JDK does it. This class only names the threads, binds each strand
 * to its thread for {@link Strand#current()}, and marks the strand ended after its task.
 */
class JdkThreadRuntime extends AbstractStrandRuntime {

    /** Makes a fresh builder per strand: a Thread.Builder is not thread-safe. */
    private final Supplier<Thread.Builder> threads;

    JdkThreadRuntime(String name, RuntimeOptions options, Supplier<Thread.Builder> threads) {
        super(name, options);
        this.threads = threads;
    }

    @Override
    protected Strand start(String strandName, Runnable body) {
        JdkThreadStrand[] self = new JdkThreadStrand[1];
        Thread thread = threads.get().name(strandName).unstarted(() -> run(self[0], body));
        JdkThreadStrand strand = newStrand(thread);
        self[0] = strand; // published to the thread by Thread.start()
        thread.start();
        return strand;
    }

    /** Makes the strand object of a new thread; tests override it to plant bugs that the TCK must catch. */
    JdkThreadStrand newStrand(Thread thread) {
        return new JdkThreadStrand(this, thread);
    }

    private void run(JdkThreadStrand strand, Runnable body) {
        JdkThreadStrand.bindCurrentThread(strand);
        try {
            body.run();
        } finally {
            strand.completion.complete();
            strandEnded();
        }
    }

    @Override
    protected boolean isOwnStrand() {
        return Strand.current() instanceof JdkThreadStrand s && s.runtime == this;
    }
}
