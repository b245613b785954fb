package io.github.hilos.ult.internal;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.NetProvider;
import io.github.hilos.spi.StrandCarrier;
import io.github.hilos.ult.SchedulingPolicy;
import io.github.hilos.ult.seam.CarrierView;
import io.github.hilos.ult.seam.Placement;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One carrier kernel thread and the strands bound to it: the chapter's N:1 model. Its loop, in order:
 * take the strands other threads woke (the wake queue), fire due timers, poll sockets now and then, and run
 * the next strand the policy picks; with nothing to run, spin a little, yield a little, then block in the
 * poller's {@code select} with the next timer deadline as its timeout.
 *
 * <p>Threading: everything here is confined to the carrier thread except {@link #submitWoken},
 * {@link #submitSpawned} and {@link #stop}, which any thread may call. Those put the strand on the
 * multi-producer wake queue (JCTools, lock-free) and, if the carrier is idle, wake its selector. Dekker pair:
 * a waker offers, then (full fence) reads {@code idle}; the carrier sets {@code idle}, then re-checks the queue
 * before it blocks, so no wake-up is lost. A strand's failure is contained: the body reports its own
 * exceptions, and an unexpected throwable from the continuation machinery ends that strand, not the carrier.
 */
final class Carrier implements Runnable, CarrierView {

    /** Rounds between two looks at the unstarted work while started strands are runnable (as Tokio's 61). */
    private static final int WORK_INTERVAL = 61;
    /** Strand ids a carrier reserves at once. */
    private static final int ID_BLOCK = 256;
    final UltRuntimeImpl runtime;
    final SchedulingPolicy policy;
    final TimerHeap timers = new TimerHeap();
    final CarrierCounters counters = new CarrierCounters();
    final Selector selector;
    final UltNetProvider net;
    private final MpscUnboundedAtomicArrayQueue<UltStrand> wakeQueue = new MpscUnboundedAtomicArrayQueue<>(1024);
    /** Strands the policy threw on; carrier only. */
    private final ArrayDeque<UltStrand> policyFallback = new ArrayDeque<>();
    private final CarrierThread thread;
    /** How long an idle carrier spins (looking for work) before it yields, then blocks. */
    private final long idleSpinNanos;
    private final int idleYields;

    /** The mounted strand; carrier only (read through {@link CarrierThread#currentStrand()}). */
    private UltStrand current;
    /** The strands bound to this carrier and not ended; carrier only. */
    private final LiveStrands live = new LiveStrands();
    /** Idle while the carrier is about to block or blocked in select; on cache lines of its own. */
    private final IdleFlag idle = new IdleFlag();
    private volatile boolean stopping;
    /** What the watchdog samples: the mounted strand and since when; written by the carrier at each switch. */
    final MountRecord mountRecord = new MountRecord();

    /** Where unstarted strands come from: this carrier alone (N:1), or work stealing over several (M:N). */
    private final Placement placement;
    /** This carrier's index among the runtime's carriers. */
    final int index;

    /** A spare carrier retires after this long idle with no strand bound to it; 0: never. */
    private final long retireAfterNanos;
    /** Set when the carrier retired (spares only); its thread then ends. */
    private volatile boolean retired;
    /** The placement's owner-only state for this carrier (its local work queue); carrier only after start. */
    private Object localWork;
    /** The next strand id of this carrier's block, and the end of the block; carrier only. */
    private long nextId;
    private long idLimit;

    Carrier(CarrierConfig config) {
        this.runtime = config.runtime();
        this.index = config.index();
        this.placement = config.placement();
        this.retireAfterNanos = placement.idleLimitNanos(this); // the compensation side decides who retires
        this.policy = config.policy();
        this.idleSpinNanos = config.idleSpinNanos();
        this.idleYields = config.idleYields();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the carrier's selector", e);
        }
        this.net = new UltNetProvider(this);
        this.thread = new CarrierThread(this, config.threadName());
    }

    // ---- the carrier as a placement sees it (CarrierView) ----

    @Override
    public int index() {
        return index;
    }

    @Override
    public long switches() {
        return mountRecord.switches();
    }

    @Override
    public String mountedStrandName() {
        UltStrand s = mountRecord.strand();
        return s == null ? null : s.name();
    }

    @Override
    public Object localWork() {
        return localWork;
    }

    @Override
    public void localWork(Object local) {
        this.localWork = local;
    }

    @Override
    public void countSteal() {
        counters.steals++;
    }

    @Override
    public void countPlacedLocally() {
        counters.placedLocally++;
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public Thread thread() {
        return thread;
    }

    boolean isCarrierThread() {
        return Thread.currentThread() == thread;
    }

    UltStrand mounted() {
        return current;
    }

    // ---- submissions (any thread) ----

    /** Places a new strand on this carrier for life (N:1, or affinity); any thread. */
    void submitSpawned(UltStrand s) {
        s.carrier = this;
        if (isCarrierThread()) {
            takeSpawned(s);
        } else {
            offer(s);
        }
    }

    void submitWoken(UltStrand s) {
        if (isCarrierThread()) {
            schedule(s, SchedulingPolicy.Reason.WOKEN);
        } else {
            offer(s);
        }
    }

    /** A timed park expired; carrier only. */
    void requeueTimedOut(UltStrand s) {
        schedule(s, SchedulingPolicy.Reason.WOKEN);
    }

    /**
     * Hands a runnable strand to the policy. A policy is user code: if it throws, the strand goes to a FIFO
     * fallback queue instead, so that it is neither lost nor the exception thrown into an unparking strand.
     */
    private void schedule(UltStrand s, SchedulingPolicy.Reason reason) {
        try {
            policy.add(s, s.priority, reason);
        } catch (Throwable bug) {
            reportPolicyFailure("add", bug);
            policyFallback.addLast(s);
        }
    }

    /** The next strand: first those the policy failed to take, then the policy's pick. */
    private UltStrand nextStrand() {
        UltStrand s = policyFallback.pollFirst();
        if (s != null) {
            return s;
        }
        try {
            return (UltStrand) policy.poll();
        } catch (Throwable bug) {
            reportPolicyFailure("poll", bug);
            return null;
        }
    }

    private void reportPolicyFailure(String call, Throwable bug) {
        counters.policyFailures++;
        Log.error(() -> "scheduling policy " + policy.describe() + " threw from " + call
                + "(); the carrier goes on with a FIFO fallback queue", bug);
    }

    private void offer(UltStrand s) {
        wakeQueue.offer(s);
        VarHandle.fullFence(); // Dekker with idle(): the offer above, then the read of idle
        if (idle.get() != IdleFlag.BUSY) {
            selector.wakeup();
        }
    }

    /** A strand id for a strand spawned on this carrier, from a block reserved 256 at a time; carrier only. */
    long nextStrandId() {
        if (nextId == idLimit) {
            nextId = runtime.reserveStrandIds(ID_BLOCK);
            idLimit = nextId + ID_BLOCK;
        }
        return nextId++;
    }

    /** Whether this (spare) carrier retired and its thread ended or is ending. */
    @Override
    public boolean isRetired() {
        return retired;
    }

    /**
     * Claims the wake-up of this idle carrier for one placement: its flag goes IDLE -> NOTIFIED by CAS, so that a
     * second placement right after the first picks another idle carrier instead of waking this one again (the flag
     * clears only when the carrier leaves its select). Any thread.
     *
     * @return whether the caller should wake it
     */
    @Override
    public boolean tryNotify() {
        return idle.claim();
    }

    /** Wakes the carrier if it is blocked in its selector; any thread. */
    @Override
    public void wake() {
        selector.wakeup();
    }

    /** Runnable strands bound to this carrier; carrier thread (exact), or monitoring (an estimate). */
    int runnableEstimate() {
        try {
            return policy.size() + policyFallback.size();
        } catch (RuntimeException bug) {
            return policyFallback.size();
        }
    }

    /** The carrier whose thread is calling, or null if it is not a carrier thread. */
    static Carrier ofCurrentThread() {
        return Thread.currentThread() instanceof CarrierThread t ? t.carrier : null;
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    void awaitStopped() throws InterruptedException {
        thread.join();
    }

    // ---- the loop (carrier thread) ----

    @Override
    public void run() {
        for (;;) {
            try {
                loop();
                break;
            } catch (Throwable unexpected) {
                // A bug of Hilos' own, or the heap exhausted: log it if possible and go on, rather than strand every
                // strand of this carrier.
                try {
                    Log.recovered("carrier", thread, unexpected);
                } catch (Throwable evenThat) {
                    // the first call of a method may allocate (its link): with no heap at all, stay silent
                }
            }
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof PollState state) {
                state.wakeAll(); // a waiter must not sleep on a key whose selector is going away
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            Log.warning(() -> "closing the selector of " + thread.getName(), e);
        }
    }

    private void loop() {
        int pollCountdown = 64;
        int workCountdown = WORK_INTERVAL;
        IdleBackoff backoff = new IdleBackoff(placement, idleSpinNanos, idleYields);
        try {
            for (;;) {
                boolean progressed = drainWakeQueue();
                // Started strands first; but now and then, and whenever there are none, adopt unstarted work, so
                // that strands that keep yielding cannot starve new ones.
                if (--workCountdown <= 0 || runnableEstimate() == 0) {
                    workCountdown = WORK_INTERVAL;
                    UltStrand adopted = (UltStrand) placement.take(this);
                    if (adopted != null) {
                        adopted.carrier = this;
                        takeSpawned(adopted);
                        progressed = true;
                        // Go's and Tokio's rule: a carrier that was idle and found work wakes another if more is
                        // waiting, so that a burst placed from outside spreads over the idle carriers at once, not one
                        // strand per wake-up. A busy carrier taking its next strand wakes no one: its placers did (and
                        // a placement that moves many strands at once, a batch or a steal, wakes one itself).
                        if (backoff.isIdle() && placement.hasWorkFor(this)) {
                            placement.wakeAnother(this);
                        }
                        backoff.reset();
                    }
                }
                if (!timers.isEmpty() && timers.expire(System.nanoTime()) > 0) {
                    progressed = true;
                }
                if (--pollCountdown <= 0) {
                    pollCountdown = 64;
                    progressed |= pollIo(0);
                }
                UltStrand next = nextStrand();
                if (next != null) {
                    backoff.reset();
                    runStrand(next);
                    continue;
                }
                if (progressed) {
                    backoff.reset();
                    continue;
                }
                long now = System.nanoTime();
                IdleBackoff.Phase phase = backoff.idle(now);
                if (retireAfterNanos > 0 && live.isEmpty() && wakeQueue.isEmpty() && timers.isEmpty()
                        && now - backoff.idleSince() >= retireAfterNanos) {
                    // Leave the spinners first, then look for work: a placer that saw this carrier spinning woke
                    // nobody, and this carrier must see its strand before it goes (the Dekker pair with place()).
                    backoff.reset();
                    VarHandle.fullFence();
                    if (placement.hasWorkFor(this)) {
                        continue;
                    }
                    retired = true; // a spare with nothing bound to it: the pool no longer needs it
                    break;
                }
                if (stopping && live.isEmpty() && wakeQueue.isEmpty()) {
                    backoff.reset();
                    break;
                }
                switch (phase) {
                    case SPINNING -> Thread.onSpinWait();
                    case YIELDING -> Thread.yield();
                    case BLOCKING -> {
                        block();
                        backoff.blocked();
                    }
                    case ACTIVE -> throw new AssertionError("an idle round in phase ACTIVE");
                }
            }
        } finally {
            backoff.reset(); // leave the spinning carriers whatever ends the loop (a throwable too: run() loops again)
        }
    }

    private boolean drainWakeQueue() {
        boolean any = false;
        for (int i = 0; i < 4096; i++) {
            UltStrand s = wakeQueue.poll();
            if (s == null) {
                break;
            }
            any = true;
            if (s.state() == UltStrand.NEW) {
                takeSpawned(s);
            } else {
                schedule(s, SchedulingPolicy.Reason.WOKEN);
            }
        }
        return any;
    }

    private void takeSpawned(UltStrand s) {
        s.setStateRelease(UltStrand.RUNNABLE); // NEW -> RUNNABLE: an unpark does nothing in either state
        counters.spawned++;
        schedule(s, SchedulingPolicy.Reason.SPAWNED);
        live.add(s);
    }

    private void block() {
        // No strand is mounted: an interrupt of the carrier thread now (from code that kept a reference to it) is
        // nobody's, and left set it would make every select return at once.
        Thread.interrupted();
        idle.set(IdleFlag.IDLE);
        try {
            // Dekker with offer() and Placement.place(): idle was published above; now look for work.
            if (!wakeQueue.isEmpty() || stopping || placement.hasWorkFor(this)) {
                return;
            }
            long timeoutMillis = retireAfterNanos > 0 // a spare wakes up to see whether it may retire
                    ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(retireAfterNanos)) : -1; // -1: until woken
            if (!timers.isEmpty()) {
                long nanos = timers.nextDeadline() - System.nanoTime();
                if (nanos <= 0) {
                    return;
                }
                long timerMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
                timeoutMillis = timeoutMillis < 0 ? timerMillis : Math.min(timeoutMillis, timerMillis);
            }
            counters.idleBlocks++;
            pollIo(timeoutMillis);
        } finally {
            idle.set(IdleFlag.BUSY);
        }
    }

    /**
     * Polls the sockets and wakes the strands whose sockets are ready.
     *
     * @param timeoutMillis 0: do not wait; -1: wait until woken; else wait at most that long
     */
    private boolean pollIo(long timeoutMillis) {
        int n;
        try {
            if (timeoutMillis == 0) {
                if (selector.keys().isEmpty()) {
                    return false;
                }
                n = selector.selectNow();
            } else {
                n = timeoutMillis < 0 ? selector.select() : selector.select(timeoutMillis);
            }
        } catch (IOException e) {
            Log.error(() -> "select failed on " + thread.getName(), e);
            return false;
        }
        return dispatchSelected(n);
    }

    private boolean dispatchSelected(int n) {
        if (n == 0 && selector.selectedKeys().isEmpty()) {
            return false;
        }
        counters.pollerWakeups++;
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key.attachment() instanceof ReadyHandler handler) {
                handler.onReady(key);
            }
        }
        return true;
    }

    private void runStrand(UltStrand s) {
        int before = s.state();
        if (before == UltStrand.UNPARKED) {
            s.clearPermit(); // the unpark that woke it is consumed by the park that returns now
        }
        s.setStateRelease(UltStrand.RUNNING); // after clearPermit (volatile); no Dekker pair reads RUNNING
        current = s;
        mountRecord.mounted(s);
        counters.switches++;
        try {
            s.continuation.resume();
        } catch (Throwable unexpected) {
            // The body catches the task's exceptions; this is the machinery failing. Contain it to the strand.
            current = null;
            mountRecord.unmounted();
            Thread.interrupted(); // the strand is over: an interrupt it set on the carrier goes with it
            finish(s); // first: joiners and close() must not depend on the log line below
            Log.recovered("strand (ended: it failed outside its task)", s, unexpected);
            return;
        }
        current = null;
        mountRecord.unmounted();
        // An interrupt set on the carrier thread while the strand ran (Thread.currentThread().interrupt(), the usual
        // idiom in a catch block) belongs to that strand: take it off the carrier, so that the carrier's select and
        // the next strand never see it, and hand it to the strand below, once its state is settled.
        boolean strandInterruptedItsCarrier = Thread.interrupted();
        if (s.continuation.finished()) {
            finish(s);
            return;
        }
        switch (s.state()) {
            case UltStrand.PARKING -> {
                s.setState(UltStrand.PARKED);
                // Dekker with unpark(): PARKED was published above, now read the permit.
                if (s.hasPermit() && s.casState(UltStrand.PARKED, UltStrand.UNPARKED)) {
                    schedule(s, SchedulingPolicy.Reason.WOKEN);
                }
            }
            case UltStrand.YIELDING -> {
                s.setStateRelease(UltStrand.RUNNABLE);
                schedule(s, SchedulingPolicy.Reason.YIELDED);
            }
            default -> {
                Log.error(() -> "strand " + s + " suspended in state "
                        + UltStrand.stateName(s.state()) + ", which is a Hilos bug; ending it", null);
                finish(s);
                return;
            }
        }
        if (strandInterruptedItsCarrier) {
            s.interrupt(); // sets its status and unparks it: on this thread, straight into the policy
        }
    }

    private void finish(UltStrand s) {
        s.setStateRelease(UltStrand.DONE); // then completion.complete() (a full-fence getAndSet) publishes it
        live.remove(s);
        s.completion.complete();
        counters.ended++;
        runtime.onStrandEnded();
    }

    /** Polls the sockets without waiting and handles what is ready; carrier thread only (a strand selector). */
    void pollNow() {
        assert isCarrierThread();
        try {
            dispatchSelected(selector.selectNow());
        } catch (IOException e) {
            Log.warning(() -> "select failed on " + thread.getName(), e);
        }
    }

    /**
     * After a socket of this carrier closed: a channel registered with a selector is really closed only when
     * the selector drops its key, at its next select. On the carrier, select now; from another thread, wake the
     * carrier and wait (at most a second, parking the caller) until it did, so that the port is free when close
     * returns.
     */
    void flushClosed(SelectableChannel channel) {
        if (isCarrierThread()) {
            try {
                dispatchSelected(selector.selectNow());
            } catch (IOException e) {
                Log.warning(() -> "select after a close failed on " + thread.getName(), e);
            }
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        // An interrupted caller (a strand closing the socket it was interrupted in) would not park: put the flag
        // aside, or it spins its own carrier for up to the second.
        boolean interrupted = Strand.interrupted();
        try {
            // keyFor, not isRegistered: the channel may also be registered with other carriers' selectors
            while (channel.keyFor(selector) != null && thread.isAlive() && selector.isOpen()
                    && System.nanoTime() - deadline < 0) {
                selector.wakeup();
                Strand.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        } finally {
            if (interrupted) {
                Strand.current().interrupt();
            }
        }
    }

    void reportPinned(UltStrand s, String reason) {
        counters.pinnedParks++;
        Log.warning(() -> "strand " + s.name() + " could not unmount (pinned: " + reason
                + "); it parks its carrier " + thread.getName() + ", blocking the carrier's other strands", null);
    }

    /**
     * Appends a paragraph per live strand to {@code out}. With stacks only on the carrier or with it stopped:
     * walking a continuation's stack while the carrier may resume it is not safe.
     */
    void dump(StringBuilder out, boolean withStacks) {
        out.append("carrier ").append(thread.getName()).append(" (policy ").append(policy.describe())
                .append(", runnable ").append(policy.size()).append(", timers ").append(timers.size())
                .append(", sockets ").append(selector.isOpen() ? selector.keys().size() : 0).append(")\n");
        live.dump(out, current, thread, withStacks);
    }

    <T> T jacket(Callable<T> task) throws Exception {
        return runtime.jackets().call(task, counters);
    }

    NetProvider netProvider() {
        return net;
    }

    /** The carrier thread: {@link Strand#current()} asks it for the mounted strand. */
    private static final class CarrierThread extends Thread implements StrandCarrier {
        private final Carrier carrier;

        CarrierThread(Carrier carrier, String name) {
            super(null, carrier, name, 0, false);
            this.carrier = carrier;
            setDaemon(true);
        }

        @Override
        public Strand currentStrand() {
            return carrier.current;
        }

        @Override
        public <T> T jacket(Callable<T> task) throws Exception {
            return carrier.jacket(task);
        }

        @Override
        public NetProvider net() {
            return carrier.netProvider();
        }
    }
}
