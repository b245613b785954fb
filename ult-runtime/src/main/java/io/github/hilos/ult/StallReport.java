package io.github.hilos.ult;

import java.time.Duration;
import java.util.List;

/**
 * A carrier found stalled by the watchdog: one strand stayed mounted longer than the threshold, either because
 * it blocked the carrier thread (an un-jacketed blocking call: {@code Thread.sleep}, a JDK lock, a monitor, plain
 * I/O) or because it computes without ever yielding.
 *
 * @param strandName the mounted strand
 * @param strandId its id
 * @param carrierName the carrier thread
 * @param stalledFor how long the strand had been mounted when seen
 * @param carrierState the carrier thread's state then ({@code TIMED_WAITING} for a sleep, {@code BLOCKED} for a
 *     monitor, {@code RUNNABLE} for computing or native I/O)
 * @param stack the carrier thread's stack then, innermost first
 * @param blockedOn for a carrier {@code BLOCKED} or {@code WAITING} on a lock: the lock (class and identity hash,
 *     as {@link java.lang.management.ThreadInfo#getLockName()}) and the thread that holds it; otherwise null
 */
public record StallReport(String strandName, long strandId, String carrierName, Duration stalledFor,
                          Thread.State carrierState, List<StackTraceElement> stack, String blockedOn) {

    /**
     * A report without lock information.
     *
     * @param strandName the mounted strand
     * @param strandId its id
     * @param carrierName the carrier thread
     * @param stalledFor how long the strand had been mounted when seen
     * @param carrierState the carrier thread's state then
     * @param stack the carrier thread's stack then, innermost first
     */
    public StallReport(String strandName, long strandId, String carrierName, Duration stalledFor,
                       Thread.State carrierState, List<StackTraceElement> stack) {
        this(strandName, strandId, carrierName, stalledFor, carrierState, stack, null);
    }

    /**
     * Returns a readable multi-line description.
     *
     * @return the report as text
     */
    public String describe() {
        StringBuilder out = new StringBuilder("strand ").append(strandName).append(" (#").append(strandId)
                .append(") has held carrier ").append(carrierName).append(" for ").append(stalledFor.toMillis())
                .append(" ms, carrier ").append(carrierState)
                .append(carrierState == Thread.State.RUNNABLE ? " (computing without yielding, or in native I/O)"
                        : " (blocked in a call that is not jacketed)");
        if (blockedOn != null) {
            out.append("\n  waiting for ").append(blockedOn);
            if (carrierState == Thread.State.BLOCKED) {
                out.append(" (a monitor: a strand that parks inside synchronized keeps it locked by the carrier;"
                        + " use io.github.hilos.sync.Mutex)");
            }
        }
        for (StackTraceElement e : stack) {
            out.append("\n    at ").append(e);
        }
        return out.toString();
    }
}
