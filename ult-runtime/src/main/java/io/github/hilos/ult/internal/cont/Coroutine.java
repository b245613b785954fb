package io.github.hilos.ult.internal.cont;

/**
 * A continuation behind a plain type, for the simulation runtime (module {@code io.github.hilos.sim}, to which
 * this package is exported): it runs strands on JDK continuations as {@code ult} does, without seeing
 * {@code jdk.internal.vm} itself. Same semantics as {@link StrandContinuation}.
 */
public final class Coroutine {

    private final StrandContinuation continuation;

    /**
     * Makes a coroutine that runs {@code body} when first resumed.
     *
     * @param body what it runs
     */
    public Coroutine(Runnable body) {
        this.continuation = new StrandContinuation(body);
    }

    /** Runs the body until it suspends or ends; on the thread that calls it. */
    public void resume() {
        continuation.resume();
    }

    /**
     * Tells whether the body has ended.
     *
     * @return whether it ended
     */
    public boolean finished() {
        return continuation.finished();
    }

    /**
     * Suspends the coroutine running on this thread, returning to whoever resumed it.
     *
     * @return false if it could not suspend (pinned: a monitor held, or a native frame on the stack)
     */
    public static boolean suspend() {
        return StrandContinuation.suspend();
    }

    /** Whether the monitor checking mode is on by default ({@code -Dhilos.checkMonitors=true}). */
    public static final boolean CHECK_MONITORS = Boolean.getBoolean("hilos.checkMonitors");

    /**
     * Describes a monitor held in the calling coroutine's frames, or returns null: a park under it would hold the
     * monitor across a switch. Costs a stack walk (microseconds).
     *
     * @return the monitor's class and the frame that locked it, or null
     */
    public static String heldMonitor() {
        return io.github.hilos.ult.internal.MonitorCheck.heldMonitor();
    }

    /**
     * Says why the last suspend failed.
     *
     * @return the pin reason, or null
     */
    public String lastPinnedReason() {
        return continuation.lastPinnedReason();
    }

    /**
     * Returns the stack of the suspended coroutine.
     *
     * @return its frames
     */
    public StackTraceElement[] stack() {
        return continuation.stack();
    }
}
