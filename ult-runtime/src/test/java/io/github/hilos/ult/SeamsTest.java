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

/** Where strands meet the JVM: the shared carrier thread, its interrupt status, errors, spares and shutdown. */
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
    void dumpAndWatchdogCoverSpareCarriers() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().with("carriers", "1").with("compensation.spares", "1")
                .with("compensation.threshold.ms", "50").with("watchdog.threshold.ms", "100");
        CountDownLatch holdBase = new CountDownLatch(1); // JDK latches: they block the carrier threads
        CountDownLatch holdSpare = new CountDownLatch(1);
        try (UltRuntime rt = UltRuntimes.openCarriers("hybrid", options, 1)) {
            Strand onBase = rt.spawn("stuck-on-base", () -> awaitUninterruptibly(holdBase));
            Tck.awaitCondition("the base carrier is stuck", () -> rt.dump().contains("stuck-on-base [running]"));
            Strand onSpare = rt.spawn("stuck-on-spare", () -> awaitUninterruptibly(holdSpare));
            Tck.awaitCondition("a spare runs the next strand", () -> rt.metrics().getCompensations() >= 1
                    && rt.carrierOf(onSpare) >= 1);
            String dump = rt.dump(); // threw ArrayIndexOutOfBoundsException while a spare was active
            assertTrue(dump.contains("-spare-"), dump);
            assertTrue(dump.contains("stuck-on-spare"), dump);
            Tck.awaitCondition("the spare's watchdog reports its stall", () -> rt.stalls().stream()
                    .anyMatch(r -> r.strandName().equals("stuck-on-spare") && r.carrierName().contains("-spare-")));
            holdBase.countDown();
            holdSpare.countDown();
            awaitEnd(onBase);
            awaitEnd(onSpare);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        for (;;) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting: the test releases it
            }
        }
    }

    @Test
    void concurrentClosesReturnTrueOnlyOnceEveryThreadOfTheRuntimeEnded() throws Exception {
        for (int round = 0; round < 5; round++) {
            RuntimeOptions options = RuntimeOptions.defaults().with("carriers", "2");
            UltRuntime rt = UltRuntimes.openCarriers("hybrid", options, 2);
            String prefix = carrierThread("hilos-hybrid-").getName();
            prefix = prefix.substring(0, prefix.indexOf("-carrier-") + 1);
            rt.run(() -> io.github.hilos.api.Jacket.call(() -> 1)); // a jacket thread too
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> closers = new ArrayList<>();
            String runtimeThreads = prefix;
            List<String> aliveAfterClose = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 2; i++) {
                closers.add(Thread.ofPlatform().start(() -> {
                    awaitUninterruptibly(go);
                    if (rt.close(Duration.ofSeconds(30))) {
                        Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().startsWith(runtimeThreads) && t.isAlive())
                                .forEach(t -> aliveAfterClose.add(t.getName()));
                    }
                }));
            }
            go.countDown();
            for (Thread t : closers) {
                t.join();
            }
            assertEquals(List.of(), aliveAfterClose, "threads of the runtime alive after close() returned true");
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

    /**
     * A heap exhausted by strands (the JVM then hands out preallocated errors, and logging itself fails) costs
     * lines of log, never a carrier, the compensator or a watchdog: once memory is back the runtime serves, and
     * it closes. Run in its own small-heap JVM.
     */
    @Test
    void aRuntimeSurvivesOutOfMemoryAndServesAgain() throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(javaCommand, "-Xmx48m", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                io.github.hilos.ult.firstuse.OutOfMemoryProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().toList();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the probe ended");
        assertEquals(List.of("SERVED", "CLOSED"), out, "probe output");
    }
}
