package io.github.hilos.ult.internal;

import io.github.hilos.api.Strand;
import io.github.hilos.sync.Semaphore;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chapter's jacket for any blocking call: a bounded pool of named kernel threads runs the call while only
 * the calling strand parks. Admission is a Hilos {@link Semaphore} of {@code threads + queue} permits, so when
 * the pool is exhausted the caller strand parks in FIFO order (its carrier runs others) instead of the pool
 * rejecting work or the carrier blocking; exhaustion is logged, at most once a second.
 *
 * <p>Interrupting the waiting strand cancels the call with an interrupt of the pool thread that runs it and
 * throws {@link InterruptedException} in the strand. The permit comes back when the call ends or is cancelled
 * (a call that ignores its interrupt may then run on while a new one is admitted).
 */
final class JacketPool {


    private final String runtimeName;
    private final ExecutorService pool;
    private final Semaphore admission;
    private final int capacity;
    private final AtomicLong lastExhaustionReport = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(2));
    private final AtomicLong exhaustions = new AtomicLong();

    JacketPool(String runtimeName, int threads, int queue) {
        this.runtimeName = runtimeName;
        this.capacity = threads + queue;
        this.admission = new Semaphore(capacity);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> { // unbounded: the admission semaphore bounds the work
                    Thread t = new Thread(r, "hilos-" + runtimeName + "-jacket-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    <T> T call(Callable<T> task, CarrierCounters counters) throws Exception {
        counters.jacketCalls++;
        return admitAndCall(task);
    }

    private <T> T admitAndCall(Callable<T> task) throws Exception {
        if (!admission.tryAcquire()) {
            reportExhaustion();
            admission.acquire();
        }
        if (Strand.interrupted()) {
            admission.release();
            throw new InterruptedException("interrupted before a jacketed call");
        }
        JacketedCall<T> call = new JacketedCall<>(task, Strand.current(), admission);
        try {
            pool.execute(call);
        } catch (RuntimeException rejected) {
            admission.release();
            throw rejected;
        }
        while (!call.isDone()) {
            if (Strand.interrupted()) {
                if (call.cancel(true)) {
                    throw new InterruptedException("interrupted while waiting for a jacketed call");
                }
                Strand.current().interrupt(); // it completed meanwhile: return its outcome, keep the interrupt
                break;
            }
            Strand.park();
        }
        try {
            return call.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void reportExhaustion() {
        exhaustions.incrementAndGet();
        long now = System.nanoTime();
        long last = lastExhaustionReport.get();
        if (now - last > TimeUnit.SECONDS.toNanos(1) && lastExhaustionReport.compareAndSet(last, now)) {
            Log.warning(() -> "runtime '" + runtimeName + "': all " + capacity
                    + " jacket slots are busy; callers wait for one (" + exhaustions.get() + " times so far)", null);
        }
    }

    long exhaustions() {
        return exhaustions.get();
    }

    /**
     * Interrupts the pool's threads and waits for them to end.
     *
     * @param patience how long to wait for a call that ignores its interrupt before reporting it
     * @return false if interrupted while waiting (the wait went on; the caller restores the status)
     */
    boolean shutdown(java.time.Duration patience) {
        pool.shutdownNow();
        boolean clean = true;
        long reportAt = System.nanoTime() + patience.toNanos();
        for (;;) {
            try {
                long left = reportAt - System.nanoTime();
                if (left > 0) {
                    if (pool.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                        return clean;
                    }
                    continue;
                }
                Log.warning(() -> "runtime '" + runtimeName + "': a jacketed call ignores its interrupt; the"
                        + " runtime closes without waiting for its thread", null);
                return clean;
            } catch (InterruptedException e) {
                clean = false;
            }
        }
    }

    /** JFR event for a jacketed call that took long (20 ms by default; configurable in the JFR settings). */
    @Name("io.github.hilos.JacketedCall")
    @Label("Jacketed Call")
    @Category({"Hilos", "ult"})
    @Description("A blocking call that a strand ran on the jacket pool")
    @Threshold("20 ms")
    static final class JacketCallEvent extends Event {
        @Label("Task class")
        String task;
    }

    /**
     * A call run by a pool thread. {@code done()} runs once the call ended or was cancelled: it returns the
     * admission permit and wakes the strand; {@link FutureTask} orders the outcome before {@code isDone()}.
     */
    private static final class JacketedCall<T> extends FutureTask<T> {
        private final Callable<T> task;
        private final Strand caller;
        private final Semaphore admission;

        JacketedCall(Callable<T> task, Strand caller, Semaphore admission) {
            super(task);
            this.task = task;
            this.caller = caller;
            this.admission = admission;
        }

        /**
         * Runs the call on the pool thread, timed by a JFR event there: the event class's first use registers it
         * with the flight recorder (hundreds of milliseconds once per JVM), which must not happen on a carrier.
         */
        @Override
        public void run() {
            JacketCallEvent event = new JacketCallEvent();
            event.begin();
            try {
                super.run();
            } finally {
                event.end();
                if (event.shouldCommit()) {
                    event.task = task.getClass().getName();
                    event.commit();
                }
            }
        }

        @Override
        protected void done() {
            admission.release();
            caller.unpark();
        }
    }
}
