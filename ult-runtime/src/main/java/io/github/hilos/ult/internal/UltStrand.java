package io.github.hilos.ult.internal;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.Durations;
import io.github.hilos.spi.StrandCompletion;
import io.github.hilos.ult.internal.cont.StrandContinuation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A user-level thread: a continuation bound for life to one {@link Carrier} once it has started (it may be
 * stolen only before: docs/decisions.md, decision 2), with a park permit, an interrupt status and the completion
 * joiners wait on.
 *
 * <p>States and transitions (mounted = running on the carrier thread):
 * <pre>
 *   NEW       -> RUNNABLE   carrier takes the spawned strand into its policy              (unmounted)
 *   RUNNABLE  -> RUNNING    carrier mounts it                                              (mounted)
 *   UNPARKED  -> RUNNING    carrier mounts it and consumes the permit that woke it          (mounted)
 *   RUNNING   -> PARKING    the strand, in park, just before suspending                    (mounted)
 *   PARKING   -> PARKED     carrier, after the continuation suspended; then it re-reads the permit
 *   PARKED    -> UNPARKED   unpark, from any thread, by CAS; the winner queues it           (unmounted)
 *   PARKED    -> RUNNABLE   carrier, when the park's timer expires, by CAS                  (unmounted)
 *   PARKING   -> PINNED     the strand, when the continuation could not suspend: it waits on the
 *                           carrier thread itself (LockSupport), and unpark wakes the carrier thread
 *   PINNED    -> RUNNING    the strand, once woken
 *   RUNNING   -> YIELDING   the strand, in yield; carrier then makes it RUNNABLE again      (mounted)
 *   RUNNING   -> DONE       carrier, after the body ended
 * </pre>
 * Memory ordering: {@code state}, {@code permit} and {@code interrupted} are volatile. Unpark of a strand it sees
 * PARKED only CASes PARKED -> UNPARKED (the winner queues it; the permit would be consumed by the mount anyway);
 * otherwise it sets the permit (getAndSet) then reads the state; the carrier sets PARKED (a volatile store) then
 * reads the permit: a Dekker pair, so an unpark racing with a park is never lost. Fields marked "carrier only" are plain, touched by the carrier
 * thread or by this strand while mounted (the same thread).
 */
final class UltStrand extends Strand implements io.github.hilos.ult.seam.Unstarted {

    static final int NEW = 0;
    static final int RUNNABLE = 1;
    static final int UNPARKED = 2;
    static final int RUNNING = 3;
    static final int PARKING = 4;
    static final int PARKED = 5;
    static final int PINNED = 6;
    static final int YIELDING = 7;
    static final int DONE = 8;

    private static final String[] STATE_NAMES = {
        "new", "runnable", "unparked", "running", "parking", "parked", "pinned", "yielding", "done"};

    private static final VarHandle STATE;
    private static final VarHandle PERMIT;
    private static final VarHandle INTERRUPTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(UltStrand.class, "state", int.class);
            PERMIT = lookup.findVarHandle(UltStrand.class, "permit", boolean.class);
            INTERRUPTED = lookup.findVarHandle(UltStrand.class, "interrupted", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The carrier the strand runs on for life. Set at construction when placed directly, or by the carrier that
     * adopts it from a work-stealing queue, before the strand first runs; read by other threads only after they
     * saw a state the carrier published later (volatile), so the plain field is safely published.
     */
    Carrier carrier;
    final int priority;
    final StrandContinuation continuation;
    final StrandCompletion completion = new StrandCompletion();
    private final long id;
    private final String name;

    @SuppressWarnings("unused")
    private volatile int state;
    @SuppressWarnings("unused")
    private volatile boolean permit;
    @SuppressWarnings("unused")
    private volatile boolean interrupted;

    /** The timer of the current timed wait, made on first use; carrier only. */
    private StrandTimer timer;
    /** Links of the carrier's list of live strands; carrier only. */
    UltStrand liveNext;
    UltStrand livePrev;

    UltStrand(Carrier carrier, long id, String name, int priority, Runnable body) {
        this.carrier = carrier;
        this.id = id;
        this.name = name;
        this.priority = priority;
        this.continuation = new StrandContinuation(body);
    }

    int state() {
        return (int) STATE.getVolatile(this);
    }

    void setState(int s) {
        STATE.setVolatile(this, s);
    }

    /**
     * Publishes a state that no Dekker pair depends on (RUNNABLE, RUNNING, PARKING, YIELDING, DONE): unparkers that read it
     * do nothing with it, and the carrier that reads it next is this same thread or orders by other means.
     */
    void setStateRelease(int s) {
        STATE.setRelease(this, s);
    }

    boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    boolean hasPermit() {
        return (boolean) PERMIT.getVolatile(this);
    }

    /**
     * Consumes the permit when the carrier mounts a strand an unpark woke. A release store suffices: an unpark
     * racing with it either finds the permit still set (and is absorbed by the park that is returning, as
     * LockSupport would) or sets it again after, and no Dekker pair reads the permit against this store.
     */
    void clearPermit() {
        PERMIT.setRelease(this, false);
    }

    static String stateName(int s) {
        return STATE_NAMES[s];
    }

    @Override
    public void unpark() {
        // A parked strand is woken by winning PARKED -> UNPARKED alone: the permit is what a park not yet
        // settled needs, and the carrier consumes it anyway when it mounts an UNPARKED strand. One atomic
        // instruction on the signal-wait path instead of two.
        if (state() == PARKED && casState(PARKED, UNPARKED)) {
            carrier.submitWoken(this);
            return;
        }
        if ((boolean) PERMIT.getAndSet(this, true)) {
            return; // it had the permit already
        }
        int s = state();
        if (s == PARKED) { // a parked strand has run, so its carrier is set
            if (casState(PARKED, UNPARKED)) {
                carrier.submitWoken(this);
            }
        } else if (s == PINNED) {
            LockSupport.unpark(carrier.thread());
        }
    }

    @Override
    public void join() throws InterruptedException {
        completion.await();
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return completion.await(timeout);
    }

    @Override
    public void interrupt() {
        INTERRUPTED.setVolatile(this, true);
        unpark();
    }

    /**
     * The strand's status, which includes the carrier thread's while this strand is the one mounted and asks about
     * itself: code that runs {@code Thread.currentThread().interrupt()} interrupts the strand that runs it. The
     * carrier moves such an interrupt to the strand when it unmounts.
     */
    @Override
    public boolean isInterrupted() {
        return (boolean) INTERRUPTED.getVolatile(this) || interruptedOnCarrier();
    }

    /** Whether this strand is mounted, asking about itself, and has set its carrier thread's interrupt status. */
    private boolean interruptedOnCarrier() {
        Carrier c = carrier;
        return c != null && c.isCarrierThread() && c.mounted() == this && Thread.currentThread().isInterrupted();
    }

    @Override
    public boolean isAlive() {
        return !completion.isDone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    protected void parkSelf() {
        assert carrier.mounted() == this;
        if (carrier.runtime.checkMonitors) {
            MonitorCheck.check(this, "parks");
        }
        if (consumePermit() || isInterrupted()) {
            return;
        }
        carrier.counters.parks++;
        setStateRelease(PARKING);
        if (!StrandContinuation.suspend()) {
            parkPinned(0);
        }
        // Resumed by the carrier: RUNNING, the permit that woke us consumed.
    }

    @Override
    protected void parkSelfNanos(long nanos) {
        assert carrier.mounted() == this;
        if (carrier.runtime.checkMonitors) {
            MonitorCheck.check(this, "parks");
        }
        if (consumePermit() || isInterrupted()) {
            return;
        }
        carrier.counters.parks++;
        if (timer == null) {
            timer = new StrandTimer(this);
        }
        carrier.timers.schedule(timer, Durations.deadline(nanos));
        setStateRelease(PARKING);
        boolean suspended = StrandContinuation.suspend();
        if (!suspended) {
            parkPinned(nanos);
        }
        carrier.timers.cancel(timer); // woken before the deadline: the timer must not fire later
    }

    /**
     * Takes the permit if it is there. A plain volatile read first: usually there is none, and the atomic swap
     * costs more. An unpark that sets it just after the read is not lost: the carrier re-reads the permit after
     * it published PARKED (the Dekker pair in the class comment).
     */
    private boolean consumePermit() {
        return hasPermit() && (boolean) PERMIT.getAndSet(this, false);
    }

    /** Waits on the carrier thread itself, because the continuation is pinned; reported by the carrier. */
    private void parkPinned(long nanos) {
        String reason = continuation.lastPinnedReason();
        carrier.reportPinned(this, reason);
        if (!casState(PARKING, PINNED)) {
            throw new AssertionError("pinned park in state " + stateName(state()));
        }
        long deadline = nanos > 0 ? Durations.deadline(nanos) : 0L;
        while (!hasPermit() && !isInterrupted()) {
            if (nanos > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
        }
        clearPermit();
        setState(RUNNING);
    }

    @Override
    protected void yieldSelf() {
        assert carrier.mounted() == this;
        if (carrier.runtime.checkMonitors) {
            MonitorCheck.check(this, "yields");
        }
        setStateRelease(YIELDING);
        if (!StrandContinuation.suspend()) {
            setStateRelease(RUNNING);
            Thread.yield();
        }
    }

    @Override
    protected boolean clearInterruptSelf() {
        boolean onCarrier = Thread.interrupted(); // mounted, on our own carrier: its status is ours
        return (boolean) INTERRUPTED.getAndSet(this, false) | onCarrier;
    }

    @Override
    public String toString() {
        return "UltStrand[" + id + ", " + name + ", " + stateName(state()) + "]";
    }

    /** The timer of a timed park: on expiry the carrier makes the strand runnable unless an unpark won. */
    private static final class StrandTimer extends TimerHeap.Timed {
        private final UltStrand strand;

        StrandTimer(UltStrand strand) {
            this.strand = strand;
        }

        @Override
        void onExpiry() {
            if (strand.casState(PARKED, RUNNABLE)) {
                strand.carrier.requeueTimedOut(strand);
            }
        }
    }
}
