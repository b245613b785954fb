package io.github.hilos.tck;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Jacket#await}: an asynchronous result as a strand-blocking call. */
public interface AwaitTck extends RuntimeUnderTest {

    @Test
    default void awaitParksOnlyTheStrandUntilAnotherStrandCompletesIt() throws Exception {
        try (StrandRuntime rt = open()) {
            CompletableFuture<String> future = new CompletableFuture<>();
            Tck.Failures failures = new Tck.Failures();
            Strand waiter = rt.spawn("waiter", failures.guard(i -> assertEquals("done", Jacket.await(future)), 0));
            // On a one-carrier runtime this strand runs only if the waiter parked rather than blocked the carrier.
            Strand completer = rt.spawn("completer", failures.guard(i -> future.complete("done"), 0));
            Tck.awaitEnd(completer, failures);
            Tck.awaitEnd(waiter, failures);
            failures.rethrow();
        }
    }

    @Test
    default void awaitUnwrapsFailuresAndTimesOut() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                IOException boom = new IOException("boom");
                assertEquals(boom, assertThrows(IOException.class,
                        () -> Jacket.await(CompletableFuture.failedFuture(boom))));
                assertEquals(boom, assertThrows(IOException.class,
                        () -> Jacket.await(CompletableFuture.supplyAsync(() -> 1)
                                .thenCompose(x -> CompletableFuture.failedFuture(boom)))));
                assertThrows(TimeoutException.class,
                        () -> Jacket.await(new CompletableFuture<>(), Duration.ofMillis(20)));
                assertEquals(7, Jacket.await(CompletableFuture.completedFuture(7)));
                return null;
            });
        }
    }

    @Test
    default void awaitOrCancelCancelsTheWorkOfAnInterruptedWaiter() throws Exception {
        try (StrandRuntime rt = open()) {
            CompletableFuture<String> work = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
            Strand waiter = rt.spawn("waiter", () -> {
                try {
                    Jacket.awaitOrCancel(work);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            waiter.interrupt();
            Tck.awaitEnd(waiter);
            org.junit.jupiter.api.Assertions.assertTrue(interrupted.get());
            org.junit.jupiter.api.Assertions.assertTrue(work.isCancelled(), "the abandoned work is cancelled");
        }
    }

    @Test
    default void awaitOfAFailureThatIsNotAnExceptionThrowsExecutionException() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                Throwable odd = new Throwable("neither an Exception nor an Error");
                CompletableFuture<String> failed = new CompletableFuture<>();
                failed.completeExceptionally(odd);
                java.util.concurrent.ExecutionException e = assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> Jacket.await(failed));
                assertEquals(odd, e.getCause());
                AssertionError error = new AssertionError("an Error");
                assertEquals(error, assertThrows(AssertionError.class,
                        () -> Jacket.await(CompletableFuture.failedFuture(error))));
                return null;
            });
        }
    }

    @Test
    default void abandonedAwaitsLeaveNoCallbackOnTheStage() throws Exception {
        try (StrandRuntime rt = open()) {
            CompletableFuture<String> pending = new CompletableFuture<>();
            rt.run(() -> {
                for (int i = 0; i < 2_000; i++) {
                    assertThrows(TimeoutException.class, () -> Jacket.await(pending, Duration.ofNanos(1)));
                }
                Strand.current().interrupt();
                assertThrows(InterruptedException.class, () -> Jacket.await(pending));
                return null;
            });
            org.junit.jupiter.api.Assertions.assertTrue(pending.getNumberOfDependents() <= 1,
                    "dependents left on the stage: " + pending.getNumberOfDependents());
            // A waiter that stays is still woken.
            Tck.Failures failures = new Tck.Failures();
            Strand waiter = rt.spawn("waiter", failures.guard(i -> assertEquals("late", Jacket.await(pending)), 0));
            Tck.awaitCondition("the waiter registered", () -> pending.getNumberOfDependents() >= 1);
            pending.complete("late");
            Tck.awaitEnd(waiter, failures);
            failures.rethrow();
        }
    }

    @Test
    default void asyncTurnsABlockingCallIntoAStageWithoutBlockingTheCaller() throws Exception {
        try (StrandRuntime rt = open()) {
            rt.run(() -> {
                java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.CompletableFuture<String> slow = Jacket.async(() -> {
                    release.await(); // a JDK latch: blocks whatever runs the call
                    return "late";
                });
                org.junit.jupiter.api.Assertions.assertFalse(slow.isDone(), "the caller did not wait");
                release.countDown();
                assertEquals("late", Jacket.await(slow));
                IOException boom = new IOException("boom");
                assertEquals(boom, assertThrows(IOException.class, () -> Jacket.await(Jacket.async(() -> {
                    throw boom;
                }))));
                return null;
            });
        }
    }
}
