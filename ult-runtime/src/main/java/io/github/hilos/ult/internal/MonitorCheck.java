package io.github.hilos.ult.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The monitor checking mode: a strand that parks or yields while its carrier thread holds a monitor
 * ({@code synchronized}) fails at once, instead of deadlocking the carrier later when another strand on it wants
 * the same monitor (a user-level carrier cannot run the owner again while it waits for the monitor itself).
 *
 * <p>On with the system property {@code hilos.checkMonitors=true} (Hilos' own test suites set it) or the runtime
 * setting {@code check.monitors=true}; the setting wins over the property. It costs a stack walk per park, a few
 * microseconds, so it is meant for tests. The walk reads each frame's locked monitors through the JDK's
 * {@code java.lang.LiveStackFrame}, which needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or
 * {@code =io.github.hilos.ult}); without it the check asks the JVM's {@code ThreadMXBean} instead, which is exact
 * but costs about 100 microseconds a park.
 */
public final class MonitorCheck {

    /** The system property's default for every runtime opened in this JVM. */
    static final boolean DEFAULT = Boolean.getBoolean("hilos.checkMonitors");

    /** Walks with monitors, or null when java.lang is not open to Hilos. */
    private static final StackWalker LIVE_WALKER;
    /** {@code Object[] LiveStackFrame.getMonitors()}, or null. */
    private static final MethodHandle GET_MONITORS;

    static {
        StackWalker walker = null;
        MethodHandle monitors = null;
        try {
            Class<?> live = Class.forName("java.lang.LiveStackFrame");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(live, MethodHandles.lookup());
            walker = (StackWalker) lookup.findStatic(live, "getStackWalker",
                    MethodType.methodType(StackWalker.class, Set.class))
                    .invoke(EnumSet.noneOf(StackWalker.Option.class));
            monitors = lookup.findVirtual(live, "getMonitors", MethodType.methodType(Object[].class))
                    .asType(MethodType.methodType(Object[].class, StackWalker.StackFrame.class));
        } catch (Throwable notOpen) {
            walker = null;
            monitors = null;
        }
        LIVE_WALKER = walker;
        GET_MONITORS = monitors;
    }

    private MonitorCheck() {
    }

    /**
     * Fails if the calling thread (a carrier, from a mounted strand) holds a monitor.
     *
     * @param strand the strand about to park or yield, for the message
     * @param what "parks" or "yields"
     * @throws IllegalMonitorStateException naming the strand, the monitor's class and where it was locked
     */
    static void check(UltStrand strand, String what) {
        String held = heldMonitor();
        if (held != null) {
            throw new IllegalMonitorStateException("strand '" + strand.name() + "' (#" + strand.id() + ") " + what
                    + " while its carrier thread holds the monitor of " + held + ". On a user-level carrier the"
                    + " monitor stays locked by the carrier thread, and the next strand there that wants it blocks"
                    + " the carrier for good; use io.github.hilos.sync.Mutex instead of synchronized around code"
                    + " that waits (monitor checking mode: hilos.checkMonitors / check.monitors)");
        }
    }

    /**
     * Describes a monitor the calling thread holds in its current frames (for a strand: its continuation's), or
     * returns null.
     *
     * @return the monitor's class and the frame that locked it, or null
     */
    public static String heldMonitor() {
        if (LIVE_WALKER != null) {
            Optional<String> found = LIVE_WALKER.walk(frames -> frames
                    .map(MonitorCheck::describeMonitorOf)
                    .filter(d -> d != null)
                    .findFirst());
            return found.orElse(null);
        }
        ThreadInfo[] info = ManagementFactory.getThreadMXBean()
                .getThreadInfo(new long[] {Thread.currentThread().threadId()}, true, false);
        if (info.length == 0 || info[0] == null || info[0].getLockedMonitors().length == 0) {
            return null;
        }
        MonitorInfo m = info[0].getLockedMonitors()[0];
        return "a " + m.getClassName() + " (locked in " + m.getLockedStackFrame() + ")";
    }

    private static String describeMonitorOf(StackWalker.StackFrame frame) {
        Object[] monitors;
        try {
            monitors = (Object[]) GET_MONITORS.invokeExact(frame);
        } catch (Throwable unreadable) {
            return null;
        }
        for (Object m : monitors) {
            if (m != null) { // an interpreted frame's free monitor slots read as null
                return "a " + m.getClass().getName() + " (locked in " + frame.toStackTraceElement() + ")";
            }
        }
        return null;
    }
}
