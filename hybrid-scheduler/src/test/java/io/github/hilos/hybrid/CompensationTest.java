package io.github.hilos.hybrid;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.tck.Tck;
import io.github.hilos.ult.UltRuntime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A carrier stuck in an un-jacketed blocking call is compensated by a spare; the spare retires afterwards. */
class CompensationTest {

    @Test
    void newWorkCompletesWhileTheOnlyCarrierIsStuckAndTheSpareRetiresAfterwards() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().with("carriers", "1")
                .with("compensation.threshold.ms", "50").with("compensation.keepalive.ms", "200");
        CountDownLatch heldByTheTest = new CountDownLatch(1); // a JDK latch: it blocks the carrier thread
        try (UltRuntime rt = (UltRuntime) Runtimes.open("hybrid", options)) {
            Strand careless = rt.spawn("careless", () -> {
                try {
                    heldByTheTest.await(); // deliberately not jacketed
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            Tck.awaitCondition("the carrier is stuck", () -> rt.dump().contains("careless [running]"));
            AtomicInteger done = new AtomicInteger();
            List<Strand> work = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                work.add(rt.spawn(() -> {
                    Strand.yield();
                    done.incrementAndGet();
                }));
            }
            for (Strand s : work) {
                awaitEnd(s); // impossible without a second carrier
            }
            assertEquals(100, done.get());
            assertTrue(rt.metrics().getCompensations() >= 1, "a spare carrier was started");
            assertEquals(2, rt.metrics().getCarriers());
            assertTrue(careless.isAlive(), "the stuck strand stays on its carrier");
            heldByTheTest.countDown();
            awaitEnd(careless);
            Tck.awaitCondition("the idle spare retires", () -> rt.metrics().getCarriers() == 1);
            assertEquals(7, rt.run(() -> 7));
        }
    }

    @Test
    void ultStaysOneCarrier() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Runtimes.open("ult", RuntimeOptions.defaults().with("carriers", "2")));
        assertTrue(e.getMessage().contains("hybrid"), e.getMessage());
    }
}
