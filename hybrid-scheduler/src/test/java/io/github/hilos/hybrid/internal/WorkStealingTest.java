package io.github.hilos.hybrid.internal;

import io.github.hilos.ult.seam.CarrierView;
import io.github.hilos.ult.seam.PlacementContext;
import io.github.hilos.ult.seam.Unstarted;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The placement's queues, driven from the test's thread with carriers that are only views (no threads run). */
class WorkStealingTest {

    /** A numbered unstarted strand. */
    record Task(int n) implements Unstarted {
    }

    /** A carrier as the placement sees it, with no thread: never idle, so nothing is ever woken. */
    static final class FakeCarrier implements CarrierView {
        final int index;
        Object local;

        FakeCarrier(int index) {
            this.index = index;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public Thread thread() {
            return Thread.currentThread();
        }

        @Override
        public void start() {
        }

        @Override
        public boolean isRetired() {
            return false;
        }

        @Override
        public boolean tryNotify() {
            return false;
        }

        @Override
        public void wake() {
        }

        @Override
        public long switches() {
            return 0;
        }

        @Override
        public String mountedStrandName() {
            return null;
        }

        @Override
        public Object localWork() {
            return local;
        }

        @Override
        public void localWork(Object work) {
            this.local = work;
        }

        @Override
        public void countSteal() {
        }

        @Override
        public void countPlacedLocally() {
        }
    }

    private static WorkStealing placement(FakeCarrier... carriers) {
        WorkStealing ws = new WorkStealing(new PlacementContext() {
            @Override
            public Map<String, String> settings() {
                return Map.of("compensation.spares", "0");
            }

            @Override
            public int baseCarriers() {
                return carriers.length;
            }

            @Override
            public String threadNamePrefix() {
                return "test";
            }

            @Override
            public CarrierView newSpare(int slot) {
                throw new AssertionError("no spares in this test");
            }
        });
        ws.attach(List.of(carriers));
        return ws;
    }

    @Test
    void anOverflowMovesTheOlderHalfAsOneBatchThatItsTakerKeepsInItsOwnStealableQueue() {
        FakeCarrier a = new FakeCarrier(0);
        FakeCarrier b = new FakeCarrier(1);
        WorkStealing ws = placement(a, b);
        for (int i = 0; i < 257; i++) {
            ws.place(new Task(i), a);
        }
        assertEquals(128, ws.injected(), "half of the full queue, the oldest, went to the injection queue");
        assertEquals(129, ws.queued(0), "the newer half and the strand that overflowed stay with their placer");

        assertEquals(new Task(0), ws.take(b), "the taker runs the oldest strand of the batch at once");
        assertEquals(0, ws.injected());
        assertEquals(127, ws.queued(1),
                "the rest of the batch goes to the taker's own queue (run LIFO there, still stealable), not back"
                        + " to the shared queue strand by strand");
        assertEquals(new Task(127), ws.take(b), "the taker's own queue is LIFO");
    }

    @Test
    void everyPlacedStrandIsTakenExactlyOnceAcrossOverflowsAndSteals() {
        FakeCarrier a = new FakeCarrier(0);
        FakeCarrier b = new FakeCarrier(1);
        WorkStealing ws = placement(a, b);
        int placed = 2_000;
        for (int i = 0; i < placed; i++) {
            ws.place(new Task(i), i % 3 == 0 ? null : a); // from outside, and from carrier a (overflowing often)
        }
        Set<Unstarted> taken = new HashSet<>();
        List<Unstarted> duplicates = new ArrayList<>();
        for (boolean any = true; any; ) {
            any = false;
            for (FakeCarrier c : List.of(b, a)) {
                Unstarted s = ws.take(c);
                if (s != null) {
                    any = true;
                    if (!taken.add(s)) {
                        duplicates.add(s);
                    }
                }
            }
        }
        assertEquals(List.of(), duplicates);
        assertEquals(placed, taken.size());
        assertNull(ws.take(a));
        assertEquals(0, ws.injected());
    }
}
