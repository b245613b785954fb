package io.github.hilos.ult.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before {@link IdleFlag}'s value (the superclass's fields are laid out first). */
@SuppressWarnings("unused")
abstract class IdleFlagPadBefore {
    private long p01, p02, p03, p04, p05, p06, p07, p08;
    private long p11, p12, p13, p14, p15, p16, p17, p18;
}

/** The value of {@link IdleFlag}, between its paddings. */
abstract class IdleFlagValue extends IdleFlagPadBefore {
    /** 0 busy; 1 about to block or blocked in select; 2 blocked and claimed by one waker. */
    @SuppressWarnings("unused")
    volatile int state;
}

/**
 * A carrier's idle state, alone on its cache lines (128 bytes of padding each side, as JCTools pads its indexes:
 * two lines, for CPUs that fetch lines in pairs). Every placement on another carrier reads it; had it shared a line
 * with fields its carrier writes at each switch (the mounted strand), each of those reads would have taken the line
 * from the busy carrier and cost it a miss on its next switch.
 */
@SuppressWarnings("unused")
final class IdleFlag extends IdleFlagValue {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(IdleFlagValue.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long q01, q02, q03, q04, q05, q06, q07, q08;
    private long q11, q12, q13, q14, q15, q16, q17, q18;

    /** Busy. */
    static final int BUSY = 0;
    /** About to block, or blocked in select. */
    static final int IDLE = 1;
    /** Blocked, and one waker has claimed its wake-up. */
    static final int NOTIFIED = 2;

    int get() {
        return state;
    }

    void set(int value) {
        state = value;
    }

    /** IDLE -> NOTIFIED, reading first: a CAS that fails still takes the line from its owner. */
    boolean claim() {
        return state == IDLE && STATE.compareAndSet(this, IDLE, NOTIFIED);
    }
}
