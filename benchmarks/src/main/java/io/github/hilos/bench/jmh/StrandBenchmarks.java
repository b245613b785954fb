package io.github.hilos.bench.jmh;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.Semaphore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The strand operations of the chapter's table and their neighbours, each run inside a strand of the runtime
 * and batched so that the hand-off from the JMH thread is amortized: time per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
public class StrandBenchmarks {

    static final int BATCH = 1000;
    static final int ROUND_TRIPS = 10_000;

    /**
     * Null fork: spawn a batch of empty strands from a strand, then join them all.
     *
     * @param state the runtime
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void nullFork(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        rt.run(() -> {
            Strand[] strands = new Strand[BATCH];
            for (int i = 0; i < BATCH; i++) {
                strands[i] = rt.spawn(Nothing.INSTANCE);
            }
            for (Strand s : strands) {
                s.join();
            }
            return null;
        });
    }

    /** Spawners of {@link #spawnFromManyStrands}. */
    static final int SPAWNERS = 8;

    /**
     * Spawn throughput from many strands: {@value #SPAWNERS} strands each spawn and join {@code BATCH /
     * SPAWNERS} empty strands at once (on {@code hybrid} the spawners run on every carrier and the new strands are
     * stolen; on {@code ult} they take turns on one carrier).
     *
     * @param state the runtime
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void spawnFromManyStrands(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        rt.run(() -> {
            Strand[] spawners = new Strand[SPAWNERS];
            for (int p = 0; p < SPAWNERS; p++) {
                spawners[p] = rt.spawn(() -> {
                    Strand[] strands = new Strand[BATCH / SPAWNERS];
                    for (int i = 0; i < strands.length; i++) {
                        strands[i] = rt.spawn(Nothing.INSTANCE);
                    }
                    try {
                        for (Strand s : strands) {
                            s.join();
                        }
                    } catch (InterruptedException e) {
                        Strand.current().interrupt();
                    }
                });
            }
            for (Strand s : spawners) {
                s.join();
            }
            return null;
        });
    }

    /**
     * Null fork one at a time: spawn, then join, which adds a park and resume of the parent to each fork.
     *
     * @param state the runtime
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void spawnThenJoin(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        rt.run(() -> {
            for (int i = 0; i < BATCH; i++) {
                rt.spawn(Nothing.INSTANCE).join();
            }
            return null;
        });
    }

    /**
     * Signal-wait: a round trip through two Hilos semaphores between two strands.
     *
     * @param state the runtime
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void semaphoreRoundTrip(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        rt.run(() -> {
            Semaphore ping = new Semaphore(0);
            Semaphore pong = new Semaphore(0);
            Strand partner = rt.spawn(() -> {
                try {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        ping.acquire();
                        pong.release();
                    }
                } catch (InterruptedException e) {
                    Strand.current().interrupt();
                }
            });
            for (int i = 0; i < ROUND_TRIPS; i++) {
                ping.release();
                pong.acquire();
            }
            partner.join();
            return null;
        });
    }

    /**
     * Signal-wait through a rendezvous channel: a round trip of two messages.
     *
     * @param state the runtime
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void channelRoundTrip(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        rt.run(() -> {
            Channel<Integer> there = Channels.rendezvous();
            Channel<Integer> back = Channels.rendezvous();
            Strand partner = rt.spawn(() -> {
                try {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        back.send(there.receive());
                    }
                } catch (InterruptedException e) {
                    Strand.current().interrupt();
                }
            });
            for (int i = 0; i < ROUND_TRIPS; i++) {
                there.send(i);
                back.receive();
            }
            partner.join();
            return null;
        });
    }

    /**
     * {@code Strand.yield()} between two strands that both yield: time per yield.
     *
     * @param state the runtime
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public void yieldPair(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        rt.run(() -> {
            Strand partner = rt.spawn(() -> {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    Strand.yield();
                }
            });
            for (int i = 0; i < ROUND_TRIPS; i++) {
                Strand.yield();
            }
            partner.join();
            return null;
        });
    }

    /**
     * Skynet: a 10-ary tree of 100 000 strands summing their numbers; time per tree.
     *
     * @param state the runtime
     * @return the sum
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long skynet100k(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        return rt.run(() -> io.github.hilos.bench.Hilos.skynet(rt, 100_000));
    }

    /** A strand that does nothing. */
    enum Nothing implements Runnable {
        INSTANCE;

        @Override
        public void run() {
        }
    }
}
