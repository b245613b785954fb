package io.github.hilos.tck;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandFuture;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.api.StrandScope;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.CountDownLatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Daily use: results of strands, structured concurrency, an executor, iterating a channel, throwing bodies. */
public interface DailyUseTck extends RuntimeUnderTest {

    @Test
    default void submitReturnsAFutureOfTheStrandsValue() throws Exception {
        try (StrandRuntime rt = open()) {
            StrandFuture<Integer> six = rt.submit(() -> 6 * 7 / 7);
            assertEquals(6, six.join());
            assertEquals(6, six.get());
            assertEquals(java.util.concurrent.Future.State.SUCCESS, six.state());
            IOException boom = new IOException("boom");
            StrandFuture<String> failing = rt.submit("failing", () -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IOException.class, failing::join), "join rethrows as thrown");
            assertSame(boom, assertThrows(ExecutionException.class, failing::get).getCause(), "get wraps");
            assertEquals("failing", failing.strand().name());
            // cancel interrupts the strand; waits in strands park only the strand
            CountDownLatch started = new CountDownLatch(1);
            StrandFuture<Void> sleeper = rt.submit(() -> {
                started.countDown();
                Strand.sleep(Duration.ofSeconds(60));
                return null;
            });
            started.await();
            assertTrue(sleeper.cancel(true));
            assertThrows(CancellationException.class, sleeper::get);
            Tck.awaitEnd(sleeper.strand());
            assertThrows(java.util.concurrent.TimeoutException.class,
                    () -> rt.submit(() -> { Strand.sleep(Duration.ofSeconds(5)); return 1; })
                            .get(10, TimeUnit.MILLISECONDS));
            // a strand waits for another's result
            assertEquals(43, rt.run(() -> rt.submit(() -> 43).join()));
        }
    }

    @Test
    default void aScopeJoinsItsSubtasksAndReturnsTheirValues() throws Exception {
        try (StrandRuntime rt = open()) {
            int sum = rt.run(() -> {
                try (StrandScope scope = StrandScope.open()) {
                    List<StrandScope.Subtask<Integer>> parts = new ArrayList<>();
                    for (int i = 1; i <= 10; i++) {
                        int n = i;
                        parts.add(scope.fork(() -> {
                            Strand.sleep(Duration.ofMillis(n));
                            return n;
                        }));
                    }
                    scope.join();
                    assertThrows(IllegalStateException.class, scope::join, "a second join is refused, not a hang");
                    int total = 0;
                    for (StrandScope.Subtask<Integer> p : parts) {
                        assertEquals(StrandScope.State.SUCCESS, p.state());
                        total += p.get();
                    }
                    return total;
                }
            });
            assertEquals(55, sum);
        }
    }

    @Test
    default void theFirstFailureInterruptsTheOthersAndIsThrownAndNoSubtaskOutlivesItsScope() throws Exception {
        try (StrandRuntime rt = open()) {
            AtomicBoolean slowWasInterrupted = new AtomicBoolean();
            AtomicReference<Strand> slowStrand = new AtomicReference<>();
            IllegalStateException failure = new IllegalStateException("first failure (expected by the test)");
            Exception thrown = assertThrows(IllegalStateException.class, () -> rt.run(() -> {
                try (StrandScope scope = StrandScope.open()) {
                    StrandScope.Subtask<String> slow = scope.fork(() -> {
                        slowStrand.set(Strand.current());
                        try {
                            Strand.sleep(Duration.ofSeconds(60));
                        } catch (InterruptedException e) {
                            slowWasInterrupted.set(true);
                            throw e;
                        }
                        return "late";
                    });
                    scope.fork(() -> {
                        Strand.sleep(Duration.ofMillis(5));
                        throw failure;
                    });
                    scope.join();
                    return slow.get();
                }
            }));
            assertSame(failure, thrown);
            assertTrue(slowWasInterrupted.get(), "the other subtask was interrupted");
            assertFalse(slowStrand.get().isAlive(), "and had ended when join threw");
            // closed without join: the running subtasks are cancelled and waited for
            AtomicReference<Strand> orphan = new AtomicReference<>();
            rt.run(() -> {
                try (StrandScope scope = StrandScope.open()) {
                    scope.fork(() -> {
                        orphan.set(Strand.current());
                        Strand.sleep(Duration.ofSeconds(60));
                        return null;
                    });
                    Tck.awaitCondition("the subtask started", () -> orphan.get() != null);
                }
                return null;
            });
            assertFalse(orphan.get().isAlive(), "no strand outlives its scope");
            assertThrows(IllegalStateException.class, StrandScope::open, "a plain thread has no runtime to fork on");
            // ... but it may name one: the subtasks are strands of that runtime, joined from the plain thread
            try (StrandScope scope = StrandScope.open(rt)) {
                StrandScope.Subtask<String> onStrand = scope.fork(() -> Strand.current().runtime().name());
                StrandScope.Subtask<Integer> value = scope.fork(() -> 42);
                scope.join();
                assertEquals(rt.name(), onStrand.get(), "a subtask of open(runtime) runs on that runtime");
                assertEquals(42, value.get());
            }
        }
    }

    @Test
    default void theExecutorRunsTasksAsStrandsForCompletableFuture() throws Exception {
        try (StrandRuntime rt = open()) {
            ExecutorService executor = rt.executor();
            AtomicReference<Strand> ranOn = new AtomicReference<>();
            CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
                ranOn.set(Strand.current());
                return 7;
            }, executor).thenApplyAsync(x -> x * 6, executor);
            assertEquals(42, f.get(30, TimeUnit.SECONDS));
            assertTrue(ranOn.get().runtime() != null && ranOn.get().runtime().name().equals(rt.name()),
                    "the task ran as a strand of the runtime: " + ranOn.get());
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 100; i++) {
                executor.execute(ran::incrementAndGet);
            }
            executor.shutdown();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(100, ran.get());
            assertTrue(executor.isTerminated());
            assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
        }
    }

    @Test
    default void aChannelIsIterableUntilClosedAndDrained() throws Exception {
        try (StrandRuntime rt = open()) {
            Channel<Integer> squares = Channels.bounded(4);
            rt.spawnThrowing("producer", () -> {
                try {
                    for (int i = 1; i <= 10; i++) {
                        squares.send(i * i); // no try/catch InterruptedException needed
                    }
                } finally {
                    squares.close();
                }
            });
            int sum = rt.run(() -> {
                int total = 0;
                for (int x : squares) {
                    total += x;
                }
                return total;
            });
            assertEquals(385, sum);
        }
    }

    @Test
    default void aThrowingBodysCheckedExceptionReachesTheHandlerAsThrown() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Throwable> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        try (StrandRuntime rt = open(io.github.hilos.api.RuntimeOptions.defaults()
                .withExceptionHandler((s, t) -> seen.add(t)))) {
            IOException io = new IOException("checked (expected by the test)");
            Tck.awaitEnd(rt.spawnThrowing("throws", () -> {
                throw io;
            }));
            assertSame(io, seen.poll(30, TimeUnit.SECONDS));
            Strand interrupted = rt.spawnThrowing("stopped", () -> Strand.sleep(Duration.ofSeconds(60)));
            interrupted.interrupt();
            Tck.awaitEnd(interrupted);
            assertEquals(null, seen.poll(50, TimeUnit.MILLISECONDS), "an interrupt just ends the strand");
        }
    }
}
