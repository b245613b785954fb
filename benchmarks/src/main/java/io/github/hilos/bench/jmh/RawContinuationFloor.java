package io.github.hilos.bench.jmh;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The floor an N:1 runtime can approach on this machine: a ping-pong and a null fork on raw
 * continuations with an {@code ArrayDeque} run queue and a trivial semaphore, in the same run as the Hilos
 * suites. Benchmark code only: Hilos itself touches {@code jdk.internal.vm} in one class of ult-runtime.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
@State(Scope.Thread)
public class RawContinuationFloor {

    static final ContinuationScope SCOPE = new ContinuationScope("floor");
    static final int N = 10_000;

    private final ArrayDeque<Continuation> runQueue = new ArrayDeque<>();
    private Continuation current;

    private final class TrivialSemaphore {
        int permits;
        Continuation waiter;

        void acquire() {
            while (permits == 0) {
                waiter = current;
                Continuation.yield(SCOPE);
            }
            permits--;
        }

        void release() {
            permits++;
            Continuation w = waiter;
            if (w != null) {
                waiter = null;
                runQueue.addLast(w);
            }
        }
    }

    private void runAll() {
        Continuation c;
        while ((c = runQueue.pollFirst()) != null) {
            current = c;
            c.run();
        }
    }

    /** Ping-pong round trip between two raw continuations. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void roundTrip() {
        TrivialSemaphore ping = new TrivialSemaphore();
        TrivialSemaphore pong = new TrivialSemaphore();
        runQueue.add(new Continuation(SCOPE, () -> {
            for (int i = 0; i < N; i++) {
                ping.release();
                pong.acquire();
            }
        }));
        runQueue.add(new Continuation(SCOPE, () -> {
            for (int i = 0; i < N; i++) {
                ping.acquire();
                pong.release();
            }
        }));
        runAll();
    }

    /** Null fork: create a continuation and run it to its end. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void nullFork() {
        for (int i = 0; i < N; i++) {
            runQueue.add(new Continuation(SCOPE, () -> { }));
            runAll();
        }
    }
}
