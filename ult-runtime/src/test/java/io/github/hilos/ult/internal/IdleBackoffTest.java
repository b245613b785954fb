package io.github.hilos.ult.internal;

import io.github.hilos.ult.seam.CarrierView;
import io.github.hilos.ult.seam.Placement;
import io.github.hilos.ult.seam.Unstarted;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idle back-off's phases and its share of the placement's spinning count, on a clock the test drives. */
class IdleBackoffTest {

    /** A placement that only counts spinners, allowing {@code max} at once. */
    static final class CountingPlacement implements Placement {
        final int max;
        int spinning;

        CountingPlacement(int max) {
            this.max = max;
        }

        @Override
        public boolean tryStartSpinning() {
            if (spinning >= max) {
                return false;
            }
            spinning++;
            return true;
        }

        @Override
        public void stopSpinning() {
            spinning--;
        }

        @Override
        public void attach(List<? extends CarrierView> carriers) {
        }

        @Override
        public void place(Unstarted strand, CarrierView caller) {
        }

        @Override
        public Unstarted take(CarrierView carrier) {
            return null;
        }

        @Override
        public boolean hasWorkFor(CarrierView carrier) {
            return false;
        }

        @Override
        public void wakeAnother(CarrierView finder) {
        }

        @Override
        public List<CarrierView> carriers() {
            return List.of();
        }

        @Override
        public int queued(int carrierIndex) {
            return 0;
        }

        @Override
        public int injected() {
            return 0;
        }

        @Override
        public long idleLimitNanos(CarrierView carrier) {
            return 0;
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public long compensations() {
            return 0;
        }
    }

    @Test
    void spinsThenYieldsThenBlocksAndReleasesItsSpinnerSlot() {
        CountingPlacement placement = new CountingPlacement(1);
        IdleBackoff b = new IdleBackoff(placement, 100, 2);
        assertFalse(b.isIdle(), "a new carrier has not been idle yet");
        assertEquals(IdleBackoff.Phase.SPINNING, b.idle(0));
        assertTrue(b.isIdle(), "one idle round: a carrier that finds work now wakes another if more waits");
        assertEquals(1, placement.spinning);
        assertEquals(IdleBackoff.Phase.SPINNING, b.idle(99));
        assertEquals(IdleBackoff.Phase.YIELDING, b.idle(100), "spin time over");
        assertEquals(0, placement.spinning, "the spinner slot is released when spinning ends");
        assertEquals(IdleBackoff.Phase.YIELDING, b.idle(101));
        assertEquals(IdleBackoff.Phase.BLOCKING, b.idle(102), "after two yields");
        b.blocked();
        assertEquals(IdleBackoff.Phase.YIELDING, b.idle(200), "after a block: yields again, no spinning");
        b.reset();
        assertFalse(b.isIdle(), "work found: busy again, its next adoptions wake no one");
        assertEquals(IdleBackoff.Phase.SPINNING, b.idle(300), "work found: spins again next time");
        b.reset();
        assertEquals(0, placement.spinning, "reset while spinning releases the slot");
    }

    @Test
    void aCarrierThatMayNotSpinYieldsAtOnceAndNoYieldsMeansBlockingAtOnce() {
        CountingPlacement full = new CountingPlacement(0);
        assertEquals(IdleBackoff.Phase.YIELDING, new IdleBackoff(full, 100, 3).idle(0));
        assertEquals(IdleBackoff.Phase.BLOCKING, new IdleBackoff(full, 100, 0).idle(0));
        assertEquals(IdleBackoff.Phase.BLOCKING, new IdleBackoff(new CountingPlacement(1), 0, 0).idle(0),
                "no spin time and no yields: block at once");
    }
}
