package io.github.hilos.bench.jmh;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.ChannelClosedException;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.Mutex;
import io.github.hilos.sync.Semaphore;
import io.github.hilos.ult.UltRuntime;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hilos against its peers in the same run: the {@code Mutex} against {@code ReentrantLock} on virtual threads, a
 * Hilos channel against {@code ArrayBlockingQueue} and a JCTools SPSC queue between kernel threads, and a
 * semaphore round trip across two carriers of {@code hybrid} against {@code jdk-virtual}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
public class PeerBenchmarks {

    static final int INCREMENTS = 10_000;
    static final int CONTENDERS = 4;
    static final int ITEMS = 100_000;

    /** The lock under contention and the runtime its strands run on. */
    @State(Scope.Benchmark)
    public static class LockState {
        /** {@code hilos-mutex} on each runtime, or {@code reentrant-lock} on {@code jdk-virtual}. */
        @Param({"hilos-mutex:ult", "hilos-mutex:hybrid", "hilos-mutex:jdk-virtual", "reentrant-lock:jdk-virtual"})
        public String lockOnRuntime;
        StrandRuntime rt;
        java.util.concurrent.locks.Lock lock;

        /** Opens the runtime and makes the lock. */
        @Setup(Level.Trial)
        public void open() {
            String[] parts = lockOnRuntime.split(":");
            rt = Runtimes.open(parts[1]);
            lock = parts[0].equals("hilos-mutex") ? new Mutex() : new ReentrantLock();
        }

        /** Closes the runtime. */
        @TearDown(Level.Trial)
        public void close() {
            rt.close();
        }
    }

    /**
     * Four strands increment a counter under the lock; time per increment.
     *
     * @param state the lock and runtime
     * @return the counter
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(CONTENDERS * INCREMENTS)
    public long lockUnderContention(LockState state) throws Exception {
        long[] counter = {0};
        return state.rt.run(() -> {
            List<Strand> strands = new ArrayList<>();
            for (int s = 0; s < CONTENDERS; s++) {
                strands.add(state.rt.spawn(() -> {
                    for (int i = 0; i < INCREMENTS; i++) {
                        state.lock.lock();
                        try {
                            counter[0]++;
                        } finally {
                            state.lock.unlock();
                        }
                    }
                }));
            }
            for (Strand s : strands) {
                s.join();
            }
            return counter[0];
        });
    }

    /**
     * A Hilos bounded channel between a producer and a consumer strand of each runtime; time per item.
     *
     * @param state the runtime
     * @return the sum received
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long hilosChannel(RuntimeState state) throws Exception {
        StrandRuntime rt = state.rt;
        return rt.run(() -> {
            Channel<Integer> channel = Channels.bounded(1024);
            rt.spawn(() -> {
                try {
                    for (int i = 0; i < ITEMS; i++) {
                        channel.send(i);
                    }
                } catch (InterruptedException e) {
                    Strand.current().interrupt();
                } finally {
                    channel.close();
                }
            });
            long sum = 0;
            try {
                for (;;) {
                    sum += channel.receive();
                }
            } catch (ChannelClosedException drained) {
                return sum;
            }
        });
    }

    /**
     * {@code ArrayBlockingQueue(1024)} between two platform threads; time per item.
     *
     * @return the sum received
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long arrayBlockingQueueBetweenThreads() throws InterruptedException {
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1024);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) {
                    queue.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            sum += queue.take();
        }
        producer.join();
        return sum;
    }

    /**
     * A JCTools SPSC array queue (1024) between two platform threads, both spinning; time per item.
     *
     * @return the sum received
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jctoolsSpscBetweenThreads() throws InterruptedException {
        SpscArrayQueue<Integer> queue = new SpscArrayQueue<>(1024);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < ITEMS; i++) {
                while (!queue.offer(i)) {
                    Thread.onSpinWait();
                }
            }
        });
        long sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            Integer v;
            while ((v = queue.poll()) == null) {
                Thread.onSpinWait();
            }
            sum += v;
        }
        producer.join();
        return sum;
    }

    /** Two carriers' worth of runtime for the cross-carrier round trip. */
    @State(Scope.Benchmark)
    public static class TwoCarriers {
        /** {@code hybrid} (strands pinned to carriers 0 and 1) or {@code jdk-virtual} (wherever the JDK puts them). */
        @Param({"hybrid", "jdk-virtual"})
        public String twoCarrierRuntime;
        StrandRuntime rt;

        /** Opens the runtime with two carriers. */
        @Setup(Level.Trial)
        public void open() {
            rt = twoCarrierRuntime.equals("hybrid")
                    ? Runtimes.open("hybrid", io.github.hilos.api.RuntimeOptions.defaults().with("carriers", "2"))
                    : Runtimes.open(twoCarrierRuntime);
        }

        /** Closes it. */
        @TearDown(Level.Trial)
        public void close() {
            rt.close();
        }
    }

    /**
     * A semaphore round trip between strands on two different carriers.
     *
     * @param state the runtime
     * @throws Exception if a strand fails
     */
    @Benchmark
    @OperationsPerInvocation(StrandBenchmarks.ROUND_TRIPS)
    public void semaphoreRoundTripAcrossCarriers(TwoCarriers state) throws Exception {
        Semaphore ping = new Semaphore(0);
        Semaphore pong = new Semaphore(0);
        Runnable pinger = () -> {
            try {
                for (int i = 0; i < StrandBenchmarks.ROUND_TRIPS; i++) {
                    ping.release();
                    pong.acquire();
                }
            } catch (InterruptedException e) {
                Strand.current().interrupt();
            }
        };
        Runnable ponger = () -> {
            try {
                for (int i = 0; i < StrandBenchmarks.ROUND_TRIPS; i++) {
                    ping.acquire();
                    pong.release();
                }
            } catch (InterruptedException e) {
                Strand.current().interrupt();
            }
        };
        Strand a;
        Strand b;
        if (state.rt instanceof UltRuntime hybrid) {
            a = hybrid.spawnOn(0, "ping", pinger);
            b = hybrid.spawnOn(1, "pong", ponger);
        } else {
            a = state.rt.spawn(pinger);
            b = state.rt.spawn(ponger);
        }
        a.join();
        b.join();
    }
}
