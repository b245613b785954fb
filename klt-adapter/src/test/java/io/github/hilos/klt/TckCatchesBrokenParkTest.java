package io.github.hilos.klt;

import io.github.hilos.tck.ParkTck;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCK is only worth running if it fails broken runtimes: here a park that loses an unpark which arrives
 * before the park must fail it (after a hang limit shortened to 2 s for this test), and the same test passes on the
 * real {@code klt}.
 */
class TckCatchesBrokenParkTest {

    @Test
    void aParkThatLosesUnparksFailsTheTck() {
        ParkTck onBrokenRuntime = () -> "klt-lossy-unpark";
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Tck.withHangLimit(Duration.ofSeconds(2), onBrokenRuntime::unparkBeforeParkIsNotLost));
        assertTrue(failure.getMessage().contains("did not end"), failure.getMessage());
    }

    @Test
    void theSameTestPassesOnTheRealRuntime() throws Exception {
        ParkTck onKlt = () -> "klt";
        onKlt.unparkBeforeParkIsNotLost();
    }
}
