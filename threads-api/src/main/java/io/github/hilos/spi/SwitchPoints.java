package io.github.hilos.spi;

/**
 * Extra switch points inside Hilos' synchronization primitives, for schedule exploration. Off unless a runtime
 * that explores schedules (the simulation) switches them on; while off, a switch point costs one volatile read.
 *
 * <p>Where they are: after {@code Mutex.unlock} and {@code Semaphore.release}, before {@code Mutex.lock},
 * {@code Semaphore.acquire}, a channel's {@code send} and {@code receive}, and {@code CountDownLatch.countDown}.
 * There a strand of a runtime whose carrier implements {@link StrandCarrier#switchPoint()} may be preempted,
 * which a runtime that switches only at parks and yields never does.
 */
public final class SwitchPoints {

    private static volatile boolean enabled;

    private SwitchPoints() {
    }

    /**
     * Switches the switch points on for the life of the JVM: a runtime calls it once, when it is opened with them.
     * Other runtimes' carriers ignore them ({@link StrandCarrier#switchPoint()} does nothing by default).
     */
    public static void enable() {
        enabled = true;
    }

    /**
     * Tells whether switch points are on.
     *
     * @return whether {@link #enable()} was called
     */
    public static boolean enabled() {
        return enabled;
    }

    /** A point where the calling strand may be preempted, when switch points are on and its runtime explores. */
    public static void reached() {
        if (enabled && Thread.currentThread() instanceof StrandCarrier carrier && carrier.currentStrand() != null) {
            carrier.switchPoint();
        }
    }
}
