package io.github.hilos.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The short lock that guards a primitive's wait queues. It is never held across a park, only for a few
 * dozen instructions, so it spins, then yields the thread; it never parks, because parking a user-level
 * carrier here would stop every strand on it.
 *
 * <p>On a user-level runtime with one carrier it is never contended: strands switch only when they park, and
 * no strand parks while holding it. {@code locked}: CAS to acquire, release store to release.
 */
final class SpinLock {

    private static final int SPINS_BEFORE_YIELD = 64;
    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(SpinLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile int locked;

    void lock() {
        if (!LOCKED.compareAndSet(this, 0, 1)) {
            lockContended();
        }
    }

    private void lockContended() {
        for (int spins = 0; ; spins++) {
            if ((int) LOCKED.getOpaque(this) == 0 && LOCKED.compareAndSet(this, 0, 1)) {
                return;
            }
            backOff(spins);
        }
    }

    /**
     * Waits a little after the {@code spins}-th failed attempt at a short lock: spins first, then yields the
     * thread; never parks (see the class comment). Also used by {@link Semaphore}'s lock, which shares a word with
     * its waiter count.
     *
     * @param spins failed attempts so far
     */
    static void backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    void unlock() {
        assert (int) LOCKED.getOpaque(this) == 1 : "unlock of a free SpinLock";
        LOCKED.setRelease(this, 0);
    }
}
