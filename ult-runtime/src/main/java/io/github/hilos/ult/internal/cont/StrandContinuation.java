package io.github.hilos.ult.internal.cont;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The one place in Hilos that touches {@code jdk.internal.vm}: a strand's body as a one-shot continuation that
 * runs on its carrier until it suspends itself or ends. It is the continuation itself (a subclass, not a wrapper:
 * a parked strand's bytes count), and the rest of Hilos calls only the methods declared here.
 *
 * <p>Not thread-safe: {@link #resume()} is called by the carrier only, {@link #suspend()} by the mounted strand
 * only. A continuation that is <em>pinned</em> (a native frame, or a critical section on the stack) cannot
 * suspend; {@link #suspend()} then returns false and the caller must wait on the carrier thread instead.
 */
public final class StrandContinuation extends Continuation {

    private static final ContinuationScope SCOPE = new ContinuationScope("hilos-ult");

    /** Why the last suspend failed; written and read on the carrier only. */
    private Continuation.Pinned lastPinned;

    /**
     * Makes a continuation that will run {@code body} when first resumed.
     *
     * @param body the strand's code
     */
    public StrandContinuation(Runnable body) {
        super(SCOPE, body);
    }

    /** Runs the body from where it last suspended, until it suspends again or ends. Carrier only. */
    public void resume() {
        run();
    }

    /**
     * Tells whether the body has ended.
     *
     * @return whether it is done
     */
    public boolean finished() {
        return isDone();
    }

    /**
     * Suspends the continuation running on the current carrier; returns when it is resumed.
     *
     * @return {@code true} if it suspended, {@code false} if it was pinned and did not
     */
    public static boolean suspend() {
        return Continuation.yield(SCOPE);
    }

    /**
     * Runs {@code section} with the current continuation pinned to its carrier: a strand that parks inside it
     * cannot unmount and waits on the carrier thread instead. For code that must not be unmounted (a native call
     * that calls back into Java), and for tests of the pinned path. Carrier only, from a mounted strand.
     *
     * @param section the code to run pinned
     */
    public static void runPinned(Runnable section) {
        Continuation.pin();
        try {
            section.run();
        } finally {
            Continuation.unpin();
        }
    }

    /**
     * Returns why the last {@link #suspend()} of this continuation failed.
     *
     * @return the reason (native frame, monitor, critical section), or null if it never failed
     */
    public String lastPinnedReason() {
        Continuation.Pinned reason = lastPinned;
        return reason == null ? null : reason.name();
    }

    /**
     * Returns the stack of a suspended continuation. Carrier only, while it is not running.
     *
     * @return the frames, innermost first; empty if it has not started or has ended
     */
    public StackTraceElement[] stack() {
        return getStackTrace();
    }

    @Override
    protected void onPinned(Continuation.Pinned reason) {
        lastPinned = reason; // suspend() returns false; the strand waits on the carrier thread instead
    }
}
