package io.github.hilos.hybrid;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.tck.Tck;
import io.github.hilos.ult.UltRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where several carriers meet the JVM: spare carriers in dumps and stall reports, concurrent closes, a full heap. */
class HybridSeamsTest {

    private static Thread carrierThread(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.getName().contains("-carrier-"))
                .findFirst().orElseThrow(() -> new AssertionError("no carrier thread " + prefix));
    }

    @Test
    void dumpAndWatchdogCoverSpareCarriers() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().with("carriers", "1").with("compensation.spares", "1")
                .with("compensation.threshold.ms", "50").with("watchdog.threshold.ms", "100");
        CountDownLatch holdBase = new CountDownLatch(1); // JDK latches: they block the carrier threads
        CountDownLatch holdSpare = new CountDownLatch(1);
        try (UltRuntime rt = (UltRuntime) Runtimes.open("hybrid", options)) {
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
            UltRuntime rt = (UltRuntime) Runtimes.open("hybrid", options);
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
                OutOfMemoryProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().toList();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the probe ended");
        assertEquals(List.of("SERVED", "CLOSED"), out, "probe output");
    }

    /**
     * Spare carriers start while the runtime shuts down (the compensator sees a carrier stuck right up to the end):
     * once close() returned, no carrier, spare, watchdog, compensator or jacket thread of the runtime is alive.
     */
    @Test
    void aSpareStartingDuringShutdownEndsWithTheRuntime() throws Exception {
        for (int round = 0; round < 20; round++) {
            UltRuntime rt = (UltRuntime) Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "1")
                    .with("compensation.spares", "2").with("compensation.threshold.ms", "1")
                    .with("compensation.keepalive.ms", "1"));
            String prefix = carrierThread("hilos-hybrid-").getName();
            String runtimeThreads = prefix.substring(0, prefix.indexOf("-carrier-") + 1);
            for (int i = 0; i < 3; i++) {
                rt.spawn("stuck-" + i, () -> {
                    long until = System.nanoTime() + 5_000_000; // 5 ms without yielding: compensation starts
                    while (System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
                    }
                });
            }
            rt.close();
            List<String> alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(runtimeThreads) && t.isAlive()).map(Thread::getName).toList();
            assertEquals(List.of(), alive, "round " + round + ": threads of the runtime alive after close()");
        }
    }
}
