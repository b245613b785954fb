package io.github.hilos.spi;

import io.github.hilos.api.Strand;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A strand that is a JDK thread (platform or virtual): parking parks the thread, interrupting interrupts it.
 *
 * <p>Used as the strand view of any thread that runs no strand, and as the base of the kernel-thread runtimes,
 * whose strands are threads. The permit is the thread's {@link LockSupport} permit, shared with JDK code that
 * runs on the same thread; a JDK class that consumes it can only cause a spurious return, which the
 * {@link Strand} contract allows.
 */
public class ThreadStrand extends Strand {

    /** The strand each thread sees as {@link Strand#current()} when no runtime bound one. */
    private static final ThreadLocal<Strand> CURRENT = new ThreadLocal<>();

    /** The thread; set once, before the strand is published (final). */
    protected final Thread thread;

    /**
     * Makes a strand of a thread.
     *
     * @param thread the thread, started or not
     */
    protected ThreadStrand(Thread thread) {
        this.thread = java.util.Objects.requireNonNull(thread, "thread");
    }

    /**
     * Returns the strand bound to the current thread, making a view of the thread the first time.
     *
     * @return the strand of the current thread
     */
    public static Strand ofCurrentThread() {
        Strand strand = CURRENT.get();
        if (strand == null) {
            strand = new ThreadStrand(Thread.currentThread());
            CURRENT.set(strand);
        }
        return strand;
    }

    /**
     * Binds a strand to the current thread so that {@link Strand#current()} returns it. Runtimes whose strands
     * are threads call this first thing in the thread.
     *
     * @param strand the strand this thread is
     */
    public static void bindCurrentThread(Strand strand) {
        CURRENT.set(strand);
    }

    /**
     * Returns the thread behind this strand.
     *
     * @return the thread
     */
    public final Thread thread() {
        return thread;
    }

    @Override
    public void unpark() {
        LockSupport.unpark(thread);
    }

    @Override
    public void join() throws InterruptedException {
        thread.join();
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        Durations.toNanos(timeout, "join timeout");
        return thread.join(timeout);
    }

    @Override
    public void interrupt() {
        thread.interrupt();
    }

    @Override
    public boolean isInterrupted() {
        return thread.isInterrupted();
    }

    @Override
    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public String name() {
        return thread.getName();
    }

    @Override
    public long id() {
        return thread.threadId();
    }

    @Override
    protected void parkSelf() {
        assert Thread.currentThread() == thread;
        LockSupport.park(this);
    }

    @Override
    protected void parkSelfNanos(long nanos) {
        assert Thread.currentThread() == thread;
        LockSupport.parkNanos(this, nanos);
    }

    @Override
    protected void yieldSelf() {
        Thread.yield();
    }

    @Override
    protected boolean clearInterruptSelf() {
        assert Thread.currentThread() == thread;
        return Thread.interrupted();
    }

    @Override
    protected void sleepSelf(long nanos) throws InterruptedException {
        Thread.sleep(Duration.ofNanos(nanos));
    }
}
