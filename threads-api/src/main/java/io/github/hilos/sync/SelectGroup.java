package io.github.hilos.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one CAS that the waiters of a {@link Select} share: the first server to set {@code winner} serves the
 * select; every other waiter of it is then skipped. {@code winner}: null while waiting, the served
 * {@link Waiter}, or {@link #GAVE_UP}; CAS to change, volatile reads.
 */
final class SelectGroup {

    private static final Waiter GAVE_UP = new Waiter(null);
    private static final VarHandle WINNER;

    static {
        try {
            WINNER = MethodHandles.lookup().findVarHandle(SelectGroup.class, "winner", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile Waiter winner;

    boolean tryClaim(Waiter waiter) {
        return WINNER.compareAndSet(this, null, waiter);
    }

    boolean tryCancel() {
        return WINNER.compareAndSet(this, null, GAVE_UP);
    }

    boolean isWaiting() {
        return WINNER.getVolatile(this) == null;
    }

    /** The served waiter, or null (still waiting, or gave up). */
    Waiter winner() {
        Waiter w = (Waiter) WINNER.getVolatile(this);
        return w == GAVE_UP ? null : w;
    }
}
