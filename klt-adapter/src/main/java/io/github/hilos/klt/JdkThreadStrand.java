package io.github.hilos.klt;

import io.github.hilos.spi.StrandCompletion;
import io.github.hilos.spi.ThreadStrand;

import java.time.Duration;

/**
 * A strand of a {@link JdkThreadRuntime}: a thread, plus the completion of its task, which is what
 * {@link #join()} and {@link #isAlive()} report (the thread itself may linger a moment longer).
 */
class JdkThreadStrand extends ThreadStrand {

    final JdkThreadRuntime runtime;
    final StrandCompletion completion = new StrandCompletion();

    JdkThreadStrand(JdkThreadRuntime runtime, Thread thread) {
        super(thread);
        this.runtime = runtime;
    }

    @Override
    public void join() throws InterruptedException {
        completion.await();
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return completion.await(timeout);
    }

    @Override
    public boolean isAlive() {
        return !completion.isDone();
    }
}
