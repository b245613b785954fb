package io.github.hilos.ult;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where strands meet the JVM: the shared carrier thread, its interrupt status, errors. (Spare carriers, concurrent
 * closes of several carriers and memory exhaustion are hybrid-scheduler's: {@code HybridSeamsTest}.)
 */
class SeamsTest {

    private static Thread carrierThread(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.getName().contains("-carrier-"))
                .findFirst().orElseThrow(() -> new AssertionError("no carrier thread " + prefix));
    }

    @Test
    void anInterruptSetOnTheCarrierThreadStaysWithTheStrandThatSetIt() throws Exception {
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult")) {
            AtomicReference<String> carrierName = new AtomicReference<>();
            AtomicBoolean sawOwnInterrupt = new AtomicBoolean();
            AtomicBoolean sleepThrew = new AtomicBoolean();
            CountDownLatch parked = new CountDownLatch(1);
            io.github.hilos.sync.CountDownLatch release = new io.github.hilos.sync.CountDownLatch(1);
            Strand interrupter = rt.spawn("self-interrupter", () -> {
                carrierName.set(Thread.currentThread().getName());
                Thread.currentThread().interrupt(); // the catch-block idiom, as libraries do it
                sawOwnInterrupt.set(Strand.current().isInterrupted());
                parked.countDown();
                try {
                    release.await(); // returns at once: the strand is interrupted
                } catch (InterruptedException expected) {
                    try {
                        Strand.sleep(Duration.ofMillis(1)); // status cleared by the throw: sleeps normally
                    } catch (InterruptedException e) {
                        sleepThrew.set(true);
                    }
                }
            });
            awaitEnd(interrupter);
            assertTrue(sawOwnInterrupt.get(), "the strand sees the interrupt it set on its carrier");
            assertFalse(sleepThrew.get(), "the interrupt was consumed once");
            // Later strands on the same carrier start clean, and the idle carrier's thread carries no status.
            AtomicBoolean laterSawInterrupt = new AtomicBoolean(true);
            rt.run(() -> {
                laterSawInterrupt.set(Strand.current().isInterrupted() || Thread.currentThread().isInterrupted());
                return null;
            });
            assertFalse(laterSawInterrupt.get(), "an unrelated strand saw the interrupt of another");
            Thread carrier = carrierThread(carrierName.get().substring(0, carrierName.get().indexOf("-carrier-")));
            assertFalse(carrier.isInterrupted(), "the carrier thread keeps an interrupt status");
        }
    }

    @Test
    void anInterruptLeftOnTheCarrierByAParkedStrandWakesThatStrandOnly() throws Exception {
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult")) {
            io.github.hilos.sync.CountDownLatch never = new io.github.hilos.sync.CountDownLatch(1);
            AtomicBoolean interruptedWait = new AtomicBoolean();
            Strand sleeper = rt.spawn("sleeper", () -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interruptedWait.set(true);
                }
            });
            // A strand interrupts the *carrier thread* it shares with the sleeper (code that kept a Thread
            // reference), then parks: the interrupt is its own, not the sleeper's.
            AtomicInteger bystanderInterrupted = new AtomicInteger();
            rt.run(() -> {
                Thread.currentThread().interrupt();
                Strand.yield();
                bystanderInterrupted.set(Strand.interrupted() ? 1 : 0);
                return null;
            });
            assertEquals(1, bystanderInterrupted.get(), "the yielding strand kept its interrupt across the switch");
            assertTrue(sleeper.isAlive(), "the parked strand was not woken by another strand's interrupt");
            sleeper.interrupt();
            awaitEnd(sleeper);
            assertTrue(interruptedWait.get());
        }
    }

    @Test
    void aHandlerThatRethrowsTheSameErrorDoesNotHurtTheCarrier() throws Exception {
        OutOfMemoryError reused = new OutOfMemoryError("Java heap space (the JVM reuses this object)");
        RuntimeOptions options = RuntimeOptions.defaults().withExceptionHandler((strand, failure) -> {
            throw (OutOfMemoryError) failure; // the same object: addSuppressed(self) threw before
        });
        try (StrandRuntime rt = Runtimes.open("ult", options)) {
            for (int i = 0; i < 10; i++) {
                Strand s = rt.spawn("fails", () -> {
                    throw reused;
                });
                awaitEnd(s);
            }
            assertEquals(42, rt.run(() -> 42), "the carrier still serves");
        }
    }
}
