package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Mutex;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** {@code @SimulationTest}: a method that takes the runtime runs once per schedule; a failing schedule fails it. */
class AnnotationTest {

    static final List<Long> SEEDS = new ArrayList<>();

    @SimulationTest(schedules = 25)
    void aLockedCounterIsExactOnEverySchedule(StrandRuntime runtime) throws Exception {
        SEEDS.add(SimRuntime.of(runtime).seed());
        Mutex lock = new Mutex();
        int[] count = {0};
        List<Strand> strands = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            strands.add(runtime.spawn(() -> {
                for (int k = 0; k < 3; k++) {
                    lock.lock();
                    try {
                        int seen = count[0];
                        Strand.yield();
                        count[0] = seen + 1;
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (Strand s : strands) {
            s.join();
        }
        assertEquals(9, count[0]);
    }

    /** Run by the launcher below, not on its own: its race fails some schedule. */
    static class Planted {
        @SimulationTest(schedules = 500, settings = "strategy=pct")
        void racyCounter(SimRuntime runtime) throws Exception {
            int[] count = {0};
            Strand a = runtime.spawn(() -> {
                int seen = count[0];
                Strand.yield();
                count[0] = seen + 1;
            });
            Strand b = runtime.spawn(() -> count[0]++);
            a.join();
            b.join();
            assertEquals(2, count[0], "lost update");
        }
    }

    @Test
    void aRacyTestFailsWithTheSeedToReplay() {
        LauncherDiscoveryRequest discovery = request().selectors(selectMethod(Planted.class, "racyCounter",
                SimRuntime.class.getName())).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(discovery, listener);
        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsFailedCount());
        Throwable failure = summary.getFailures().get(0).getException();
        assertTrue(failure instanceof SimulationFailure, String.valueOf(failure));
        assertTrue(failure.getMessage().contains("lost update"), failure.getMessage());
        assertTrue(failure.getMessage().contains("-Dhilos.sim.seed=" + ((SimulationFailure) failure).seed()));
    }

    @Test
    void theAnnotatedMethodRanOncePerSchedule() {
        // JUnit may run this before or after the annotated method: check when it has run.
        if (!SEEDS.isEmpty()) {
            assertEquals(25, SEEDS.size());
            assertEquals(25, SEEDS.stream().distinct().count(), "a seed per schedule");
        }
    }
}
