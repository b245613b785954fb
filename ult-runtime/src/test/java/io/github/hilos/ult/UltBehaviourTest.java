package io.github.hilos.ult;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandLocal;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.tck.Tck;
import io.github.hilos.ult.internal.cont.StrandContinuation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is particular to {@code ult}: the carrier, the watchdog, pinning, dumps, metrics, bad settings. */
class UltBehaviourTest {

    /**
     * An unpark that comes after the park's timer fired finds the strand runnable, not parked: it must leave the
     * permit, so that the strand's next park returns at once (as {@code LockSupport} does). Deterministic on one
     * carrier with FIFO: the unparker holds the carrier past the deadline, yields, and runs again before the
     * timed-out strand.
     */
    @Test
    void anUnparkThatLosesToTheTimerLeavesThePermitForTheNextPark() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult")) {
            AtomicReference<Boolean> secondParkReturned = new AtomicReference<>(false);
            Strand[] sleeper = new Strand[1];
            sleeper[0] = rt.spawn("sleeper", () -> {
                Strand.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // times out: the unpark comes later
                Strand.park(); // the late unpark's permit: returns at once
                secondParkReturned.set(true);
            });
            Strand unparker = rt.spawn("late-unparker", () -> {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait(); // the carrier is held past the sleeper's deadline
                }
                Strand.yield(); // the carrier fires the timer (the sleeper is runnable) and runs this strand first
                sleeper[0].unpark();
            });
            awaitEnd(unparker);
            boolean ended = sleeper[0].join(Duration.ofSeconds(10));
            if (!ended) {
                sleeper[0].interrupt(); // let the runtime close
            }
            assertTrue(ended && secondParkReturned.get(), "the permit of the late unpark was kept");
        }
    }

    @Test
    void strandsShareTheCarrierThreadAndItsThreadLocalsButNotStrandLocals() throws Exception {
        ThreadLocal<String> threadLocal = new ThreadLocal<>();
        StrandLocal<String> strandLocal = new StrandLocal<>();
        try (StrandRuntime rt = Runtimes.open("ult")) {
            Thread[] threads = new Thread[2];
            String[] seen = new String[4];
            CountDownLatch bothSet = new CountDownLatch(2);
            Tck.runAll(rt, 2, i -> {
                threads[i] = Thread.currentThread();
                threadLocal.set("thread-local of " + i);
                strandLocal.set("strand-local of " + i);
                bothSet.countDown();
                bothSet.await();
                seen[2 * i] = threadLocal.get();
                seen[2 * i + 1] = strandLocal.get();
            });
            assertSame(threads[0], threads[1], "one carrier runs both strands");
            assertNotSame(Thread.currentThread(), threads[0]);
            assertEquals(seen[0], seen[2], "a ThreadLocal is the carrier's, shared by its strands");
            assertEquals("strand-local of 0", seen[1]);
            assertEquals("strand-local of 1", seen[3]);
        }
    }

    @Test
    void theWatchdogNamesAStrandThatBlocksItsCarrierWithThreadSleep() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().with("watchdog.threshold.ms", "100");
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult", options)) {
            Strand sleeper = rt.spawn("careless-sleeper", () -> {
                try {
                    // Deliberately un-jacketed: this blocks the carrier, which is what the watchdog must see.
                    Thread.sleep(Duration.ofMillis(600));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            Tck.awaitCondition("a stall report", () -> !rt.stalls().isEmpty());
            StallReport report = rt.stalls().getFirst();
            assertEquals("careless-sleeper", report.strandName());
            assertEquals(Thread.State.TIMED_WAITING, report.carrierState());
            assertTrue(report.stack().stream().anyMatch(e -> e.getMethodName().contains("sleep")), report::describe);
            assertTrue(report.describe().contains("careless-sleeper"));
            awaitEnd(sleeper);
            assertEquals(1, rt.metrics().getStalls(), "one report per stall");
        }
    }

    @Test
    void aPinnedStrandParksItsCarrierAndIsStillWokenByUnpark() throws Exception {
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult")) {
            AtomicReference<Strand> pinned = new AtomicReference<>();
            CountDownLatch parkedOnce = new CountDownLatch(1);
            boolean[] go = {false};
            Strand s = rt.spawn("pinned", () -> StrandContinuation.runPinned(() -> {
                pinned.set(Strand.current());
                parkedOnce.countDown();
                while (!go[0]) {
                    Strand.park(); // cannot unmount: waits on the carrier thread
                }
            }));
            parkedOnce.await();
            Tck.awaitCondition("the pinned park", () -> rt.metrics().getPinnedParks() > 0);
            go[0] = true;
            pinned.get().unpark();
            awaitEnd(s);
            assertEquals(3, rt.run(() -> 3), "the carrier runs strands again");
        }
    }

    @Test
    void theDumpListsLiveStrandsWithStateAndStack() throws Exception {
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult")) {
            CountDownLatch release = new CountDownLatch(1);
            Strand waiting = rt.spawn("waiting-on-latch", () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            Tck.awaitCondition("strand parked", () -> rt.dump().contains("waiting-on-latch [parked]"));
            String dump = rt.dump();
            assertTrue(dump.contains("CountDownLatch.await"), dump);
            assertTrue(dump.contains("waiting-on-latch [parked] on CountDownLatch[count 1]"), "what it waits for: " + dump);
            assertTrue(dump.contains("policy fifo"), dump);
            release.countDown();
            awaitEnd(waiting);
        }
    }

    @Test
    void countersAreAnMXBean() throws Exception {
        try (UltRuntime rt = (UltRuntime) Runtimes.open("ult")) {
            Tck.runAll(rt, 10, i -> Strand.sleep(Duration.ofMillis(1)));
            assertTrue(rt.metrics().getSpawned() >= 10);
            assertTrue(rt.metrics().getParks() >= 10);
            assertTrue(rt.metrics().getSwitches() >= 20);
            List<ObjectName> names = List.copyOf(ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("io.github.hilos:type=UltRuntime,*"), null));
            assertFalse(names.isEmpty());
            Object spawned = ManagementFactory.getPlatformMBeanServer().getAttribute(names.getFirst(), "Spawned");
            assertTrue(spawned instanceof Long);
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirValue() {
        IllegalArgumentException policy = assertThrows(IllegalArgumentException.class,
                () -> Runtimes.open("ult", RuntimeOptions.defaults().with("policy", "round-robin")));
        assertTrue(policy.getMessage().contains("round-robin") && policy.getMessage().contains("fifo"), policy.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> Runtimes.open("ult", RuntimeOptions.defaults().with("jacket.threads", "many")));
        assertTrue(number.getMessage().contains("jacket.threads") && number.getMessage().contains("many"));
    }

    @Test
    void withoutTheJvmFlagOpeningFailsWithAMessageThatNamesIt() throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OpenUlt.class.getName())
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("IllegalStateException") && text.contains("--add-exports java.base/jdk.internal.vm="),
                text);
    }

    /** Opens {@code ult} in a JVM started without the flag. */
    public static final class OpenUlt {
        public static void main(String[] args) {
            try (StrandRuntime rt = Runtimes.open("ult")) {
                System.out.println("opened " + rt);
            } catch (IllegalStateException e) {
                System.out.println(e);
            }
        }
    }
}
