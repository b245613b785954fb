package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.fail;

/** Helpers of the TCK: running strand code, collecting its failures, and waiting with a generous limit. */
public final class Tck {

    /** How long a TCK test waits for something that must happen before calling it a hang. */
    public static final Duration HANG = Duration.ofSeconds(30);

    private Tck() {
    }

    /** Strand code that may throw. */
    @FunctionalInterface
    public interface StrandBody {
        /**
         * Runs in a strand.
         *
         * @param index the strand's index among those spawned together
         * @throws Exception anything; it fails the test
         */
        void run(int index) throws Exception;
    }

    /** Collects failures of strands so that the test thread can rethrow them. */
    public static final class Failures {
        private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        /**
         * Wraps strand code so that its failure is recorded.
         *
         * @param body the code
         * @param index passed to the code
         * @return a task for spawn
         */
        public Runnable guard(StrandBody body, int index) {
            return () -> {
                try {
                    body.run(index);
                } catch (Throwable t) {
                    failures.add(t);
                }
            };
        }

        /**
         * Records a failure.
         *
         * @param t the failure
         */
        public void add(Throwable t) {
            failures.add(t);
        }

        /**
         * Throws the first recorded failure, the others suppressed in it.
         *
         * @throws Exception the first failure
         */
        public void rethrow() throws Exception {
            Throwable first = failures.poll();
            if (first == null) {
                return;
            }
            for (Throwable t; (t = failures.poll()) != null; ) {
                first.addSuppressed(t);
            }
            if (first instanceof Exception e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
            throw new AssertionError(first);
        }
    }

    /**
     * Spawns {@code n} strands running {@code body}, waits for all of them, and rethrows the first failure.
     *
     * @param rt the runtime
     * @param n how many strands
     * @param body what each runs, given its index
     * @throws Exception the first failure of a strand, or an assertion error if one hangs
     */
    public static void runAll(StrandRuntime rt, int n, StrandBody body) throws Exception {
        Failures failures = new Failures();
        List<Strand> strands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            strands.add(rt.spawn("tck-" + i, failures.guard(body, i)));
        }
        for (Strand s : strands) {
            awaitEnd(s, failures);
        }
        failures.rethrow();
    }

    /**
     * Waits for a strand to end; if it does not within {@link #HANG}, interrupts it and fails.
     *
     * @param strand the strand
     * @param failures earlier failures, rethrown first since they explain a hang better
     * @throws Exception a failure
     */
    public static void awaitEnd(Strand strand, Failures failures) throws Exception {
        Duration limit = HANG_ON_THIS_THREAD.get();
        if (!strand.join(limit)) {
            strand.interrupt();
            strand.unpark();
            failures.rethrow();
            fail("strand " + strand + " did not end within " + limit + " (lost wake-up or deadlock?)");
        }
    }

    private static final ThreadLocal<Duration> HANG_ON_THIS_THREAD = ThreadLocal.withInitial(() -> HANG);

    /**
     * Runs {@code body} with a shorter limit for {@link #awaitEnd} on the calling thread: for a test that expects a
     * kit test to fail on a broken runtime, which would otherwise wait the whole {@link #HANG}.
     *
     * @param limit the limit
     * @param body what to run
     * @throws Throwable what the body throws
     */
    public static void withHangLimit(Duration limit, org.junit.jupiter.api.function.Executable body)
            throws Throwable {
        HANG_ON_THIS_THREAD.set(limit);
        try {
            body.execute();
        } finally {
            HANG_ON_THIS_THREAD.remove();
        }
    }

    /**
     * Waits for a strand to end, or fails.
     *
     * @param strand the strand
     * @throws Exception a failure
     */
    public static void awaitEnd(Strand strand) throws Exception {
        awaitEnd(strand, new Failures());
    }

    /**
     * Spins, yielding the strand, until {@code condition} holds; fails after {@link #HANG}.
     *
     * @param what what is awaited, for the message
     * @param condition the condition
     */
    public static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what);
            }
            try {
                Strand.sleep(Duration.ofMillis(1));
            } catch (InterruptedException e) {
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    /**
     * Returns the heap in use after a full collection (two, to let reference processing settle): for tests of
     * what a structure keeps alive, with margins far above the collector's noise.
     *
     * @return bytes in use
     */
    public static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
