package io.github.hilos.tck;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.ChannelClosedException;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.Mutex;
import io.github.hilos.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Strands of this runtime and of {@link #peerRuntimeName()} sharing one primitive. */
public interface CrossRuntimeTck extends RuntimeUnderTest {

    @Test
    default void strandsOfTwoRuntimesShareAChannel() throws Exception {
        Channel<Long> channel = Channels.bounded(8);
        int n = 10_000;
        AtomicLong sum = new AtomicLong();
        try (StrandRuntime rt = open(); StrandRuntime peer = Runtimes.open(peerRuntimeName())) {
            Tck.Failures failures = new Tck.Failures();
            Strand producer = rt.spawn(failures.guard(i -> {
                for (long v = 1; v <= n; v++) {
                    channel.send(v);
                }
                channel.close();
            }, 0));
            Strand consumer = peer.spawn(failures.guard(i -> {
                try {
                    for (;;) {
                        sum.addAndGet(channel.receive());
                    }
                } catch (ChannelClosedException drained) {
                    // done
                }
            }, 1));
            awaitEnd(producer, failures);
            awaitEnd(consumer, failures);
            failures.rethrow();
        }
        assertEquals((long) n * (n + 1) / 2, sum.get());
    }

    @Test
    default void strandsOfTwoRuntimesPingPongAndShareAMutex() throws Exception {
        Semaphore ping = new Semaphore(0);
        Semaphore pong = new Semaphore(0);
        Mutex mutex = new Mutex();
        long[] counter = {0};
        int rounds = 5_000;
        try (StrandRuntime rt = open(); StrandRuntime peer = Runtimes.open(peerRuntimeName())) {
            Tck.Failures failures = new Tck.Failures();
            Strand here = rt.spawn(failures.guard(i -> {
                for (int r = 0; r < rounds; r++) {
                    ping.release();
                    pong.acquire();
                    mutex.lock();
                    counter[0]++;
                    mutex.unlock();
                }
            }, 0));
            Strand there = peer.spawn(failures.guard(i -> {
                for (int r = 0; r < rounds; r++) {
                    ping.acquire();
                    mutex.lock();
                    counter[0]++;
                    mutex.unlock();
                    pong.release();
                }
            }, 1));
            awaitEnd(here, failures);
            awaitEnd(there, failures);
            failures.rethrow();
        }
        assertEquals(2L * rounds, counter[0]);
    }
}
