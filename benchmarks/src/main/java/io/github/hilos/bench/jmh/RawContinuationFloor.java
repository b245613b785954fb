package io.github.hilos.bench.jmh;

import io.github.hilos.bench.SwitchFloor;
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

import java.util.concurrent.TimeUnit;

/**
 * The floor an N:1 runtime can approach on this machine: {@link SwitchFloor}'s ping-pong and null fork on raw
 * continuations (an {@code ArrayDeque} run queue and a trivial semaphore), the same code {@code ./hilos table}
 * measures, in the same run as the Hilos suites. Benchmark code only: Hilos itself touches
 * {@code jdk.internal.vm} in one class of ult-runtime.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
@State(Scope.Thread)
public class RawContinuationFloor {

    static final int N = 10_000;

    private final SwitchFloor floor = new SwitchFloor();

    /** Ping-pong round trip between two raw continuations. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void roundTrip() {
        floor.signalWait(N);
    }

    /** Null fork: a batch of continuations created, run to their end and joined, as the table measures it. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void nullFork() {
        floor.nullFork(N);
    }
}
