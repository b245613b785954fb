package io.github.hilos.ult.internal;

/**
 * The strands bound to one carrier that have not ended: a doubly linked list through the strands' own links (no
 * node per strand), and the dump of them. The carrier's stop and a spare's retirement wait until it is empty.
 *
 * <p>Not thread-safe: its carrier's thread only (or a reader that accepts a racy view, marked so in the dump).
 */
final class LiveStrands {

    private UltStrand head;

    /** Adds a strand the carrier adopted. */
    void add(UltStrand s) {
        s.liveNext = head;
        if (head != null) {
            head.livePrev = s;
        }
        head = s;
    }

    /** Removes a strand that ended. */
    void remove(UltStrand s) {
        if (s.livePrev != null) {
            s.livePrev.liveNext = s.liveNext;
        } else if (head == s) {
            head = s.liveNext;
        }
        if (s.liveNext != null) {
            s.liveNext.livePrev = s.livePrev;
        }
        s.liveNext = null;
        s.livePrev = null;
    }

    /** What a parked strand waits for, as the dump shows it: the primitive's own description (a mutex names its owner). */
    private static String describe(Object blocker) {
        if (blocker instanceof io.github.hilos.spi.StrandCompletion) {
            return "the end of a strand (join)";
        }
        try {
            return String.valueOf(blocker);
        } catch (RuntimeException e) {
            return blocker.getClass().getName();
        }
    }

    /** Whether no strand is bound to the carrier. */
    boolean isEmpty() {
        return head == null;
    }

    /**
     * Appends a paragraph per live strand: id, name, state, and the stack (the carrier thread's for the mounted
     * strand; a suspended continuation's only when {@code withStacks}, which is safe on the carrier or with it
     * stopped, not while it may resume the continuation).
     *
     * @param out where to write
     * @param mounted the strand mounted now, or null
     * @param carrierThread the carrier's thread
     * @param withStacks whether to walk suspended strands' stacks
     */
    void dump(StringBuilder out, UltStrand mounted, Thread carrierThread, boolean withStacks) {
        for (UltStrand s = head; s != null; s = s.liveNext) {
            out.append("  #").append(s.id()).append(' ').append(s.name()).append(" [")
                    .append(UltStrand.stateName(s.state())).append(']');
            Object blocker = s.blocker();
            if (blocker != null) {
                out.append(" on ").append(describe(blocker));
            }
            if (s == mounted) {
                out.append(" (mounted)\n");
                for (StackTraceElement e : carrierThread.getStackTrace()) {
                    out.append("      at ").append(e).append('\n');
                }
                continue;
            }
            out.append('\n');
            if (!withStacks) {
                continue;
            }
            for (StackTraceElement e : s.continuation.stack()) {
                out.append("      at ").append(e).append('\n');
            }
        }
    }
}
