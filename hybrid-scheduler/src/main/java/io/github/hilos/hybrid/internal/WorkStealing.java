package io.github.hilos.hybrid.internal;

import io.github.hilos.ult.seam.CarrierView;
import io.github.hilos.ult.seam.Placement;
import io.github.hilos.ult.seam.PlacementContext;
import io.github.hilos.ult.seam.Unstarted;

import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The M:N placement: unstarted strands balanced over the carriers by work stealing, with spare carriers when
 * carriers are stuck. A strand spawned on a carrier goes to that carrier's own {@link StealQueue} (LIFO for its
 * owner: depth-first, cache-warm); a strand spawned from any other thread goes to the shared injection queue
 * (lock-free, multi-consumer). A carrier that runs out of work takes, in order: its own queue, the injection queue,
 * then half of a random victim's queue. Only unstarted strands move; a strand that has run stays on its carrier
 * (docs/decisions.md, decision 2).
 *
 * <p>Ownership: each carrier holds the local end of its own queue ({@link CarrierView#localWork()}, handed over
 * before its thread starts, used on its thread only); this class keeps only the stealing ends.
 *
 * <p>Waking: see the protocol map in this package's {@code package-info.java}. In short, a placer publishes the
 * strand, then (full fence) wakes one idle carrier unless one is spinning; each idle carrier is woken for one
 * placement only; a carrier that adopts work and sees more wakes another; at most half the carriers spin.
 */
public final class WorkStealing implements Placement {

    private static final int LOCAL_CAPACITY = 256;

    private final PlacementContext context;
    /**
     * Strands spawned from outside the carriers. Every carrier polls it, so it must be multi-consumer: JCTools'
     * unbounded MPMC queue needs {@code sun.misc.Unsafe} (a warning on JDK 25), hence the JDK's lock-free queue.
     */
    private final ConcurrentLinkedQueue<Object> injection = new ConcurrentLinkedQueue<>(); // Unstarted or Batch
    /** The thieves' end of each slot's queue; slots 0..N-1 are the base carriers, then the spares. */
    private final List<StealQueue<Unstarted>.Stealer> stealers;
    /** The local end of each slot's queue until its carrier takes it (a spare slot's, until its first spare). */
    private final List<StealQueue<Unstarted>.Local> locals;
    /** Slot i holds carrier i: the N base carriers, then spares while active (null when not). */
    private final AtomicReferenceArray<CarrierView> carriers;
    /** Carriers spinning for work now; at most {@link #maxSpinning} (half the base carriers, at least one). */
    private final AtomicInteger spinning = new AtomicInteger();
    private final int maxSpinning;
    private final Compensator compensator;
    /** How long a spare may stay idle with nothing bound to it; base carriers never retire. */
    private final long keepAliveNanos;
    private final int base;

    /**
     * Makes the placement of a runtime: reads {@code compensation.spares} (default N),
     * {@code compensation.threshold.ms} (100) and {@code compensation.keepalive.ms} (10 000) from its settings.
     *
     * @param context what the runtime offers
     */
    public WorkStealing(PlacementContext context) {
        this.context = context;
        int base = context.baseCarriers();
        Map<String, String> settings = context.settings();
        int spares = number(settings, "compensation.spares", base);
        long threshold = Duration.ofMillis(number(settings, "compensation.threshold.ms", 100)).toNanos();
        long keepAlive = Duration.ofMillis(Math.max(1, number(settings, "compensation.keepalive.ms", 10_000))).toNanos();
        int slots = base + spares;
        this.maxSpinning = Math.max(1, base / 2);
        this.carriers = new AtomicReferenceArray<>(slots);
        List<StealQueue<Unstarted>.Stealer> s = new ArrayList<>(slots);
        List<StealQueue<Unstarted>.Local> l = new ArrayList<>(slots);
        for (int i = 0; i < slots; i++) {
            StealQueue.Ends<Unstarted> ends = StealQueue.create(LOCAL_CAPACITY);
            s.add(ends.stealer());
            l.add(ends.local());
        }
        this.stealers = List.copyOf(s);
        this.locals = l;
        this.keepAliveNanos = keepAlive;
        this.base = base;
        this.compensator = new Compensator(context.threadNamePrefix() + "-compensator", this, base, threshold,
                context::newSpare);
    }

    private static int number(Map<String, String> settings, String key, int fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting '" + key + "' must be a non-negative integer: '" + value + "'");
    }

    @Override
    public void attach(List<? extends CarrierView> base) {
        for (CarrierView c : base) {
            c.localWork(locals.get(c.index()));
            carriers.set(c.index(), c);
        }
    }

    /** Puts a new spare carrier in its slot, with its slot's local queue end, before it starts. */
    void activate(CarrierView spare) {
        spare.localWork(locals.get(spare.index()));
        carriers.set(spare.index(), spare);
    }

    int slots() {
        return carriers.length();
    }

    /** The carrier in a slot, or null (a spare slot not in use). */
    CarrierView carrier(int slot) {
        return carriers.get(slot);
    }

    @SuppressWarnings("unchecked")
    private static StealQueue<Unstarted>.Local localOf(CarrierView c) {
        return (StealQueue<Unstarted>.Local) c.localWork();
    }

    /**
     * Moves a stuck carrier's unstarted strands to the injection queue, where free carriers take them; any
     * thread (a thief's end).
     *
     * @param stuck the stuck carrier
     * @return how many moved
     */
    int rescue(CarrierView stuck) {
        int moved = 0;
        for (Unstarted s; (s = stealers.get(stuck.index()).steal()) != null; ) {
            injection.offer(s);
            moved++;
        }
        if (moved > 0) {
            wakeOneIdle(stuck);
        }
        return moved;
    }

    @Override
    public void place(Unstarted s, CarrierView here) {
        if (here != null) {
            StealQueue<Unstarted>.Local local = localOf(here);
            if (!local.push(s)) {
                overflow(local);
                if (!local.push(s)) {
                    injection.offer(s);
                }
            }
            here.countPlacedLocally();
        } else {
            injection.offer(s);
        }
        wakeOneIdle(here);
    }

    /**
     * Shares half of a full local queue with every carrier, as one node of the injection queue: one allocation and
     * one CAS for the lot, where a node per strand made every overflow cost a hundred of each (and as many polls).
     */
    private void overflow(StealQueue<Unstarted>.Local local) {
        List<Unstarted> half = new ArrayList<>(local.size() / 2 + 1);
        local.drainHalf(half::add);
        if (!half.isEmpty()) {
            injection.offer(new Batch(half));
        }
    }

    /** Strands moved together from a full local queue to the injection queue. */
    private record Batch(List<Unstarted> strands) {
    }

    /**
     * Wakes one idle carrier for work just published, unless a carrier is spinning: a spinner looks at the queues
     * every round (and re-checks them before it blocks), so it takes the work, and when it does and sees more, it
     * wakes another ({@link #wakeAnother}). Each idle carrier is woken for one placement only
     * ({@link CarrierView#tryNotify}): a burst of placements wakes as many carriers as it has strands, not the same
     * one again and again.
     */
    private void wakeOneIdle(CarrierView except) {
        VarHandle.fullFence(); // Dekker with the carrier's block(): the strand is published, now read spinning, idle
        if (spinning.get() > 0) {
            return;
        }
        for (int i = 0; i < carriers.length(); i++) {
            CarrierView c = carriers.get(i);
            // Only the idle flag is read (a retired spare's is never set: it retires awake): each read of another
            // field of a busy carrier would take a line it writes.
            if (c != null && c != except && c.tryNotify()) {
                c.wake();
                return;
            }
        }
    }

    @Override
    public void wakeAnother(CarrierView finder) {
        wakeOneIdle(finder);
    }

    @Override
    public boolean tryStartSpinning() {
        for (;;) {
            int n = spinning.get();
            if (n >= maxSpinning) {
                return false;
            }
            if (spinning.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    @Override
    public void stopSpinning() {
        spinning.decrementAndGet();
    }

    @Override
    public Unstarted take(CarrierView carrier) {
        StealQueue<Unstarted>.Local own = localOf(carrier);
        Unstarted s = own.pop();
        if (s != null) {
            return s;
        }
        Object injected = injection.poll();
        if (injected instanceof Batch batch) {
            // The first to run now, the rest to this carrier's own queue, where thieves can still take them. The
            // queue is empty (its pop just failed, and only this carrier pushes) and a batch is half of one: all fit.
            List<Unstarted> strands = batch.strands();
            for (int i = 1; i < strands.size(); i++) {
                boolean pushed = own.push(strands.get(i));
                assert pushed : "a batch is half a queue, and this carrier's own queue was empty";
            }
            if (strands.size() > 1) {
                wakeOneIdle(carrier); // a carrier that blocked while this one took the batch must hear of the rest
            }
            return strands.getFirst();
        }
        if (injected != null) {
            return (Unstarted) injected;
        }
        int n = carriers.length();
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int k = 0; k < n; k++) {
            int victim = (start + k) % n;
            if (victim == carrier.index()) {
                continue;
            }
            s = stealers.get(victim).stealHalfInto(own);
            if (s != null) {
                carrier.countSteal();
                if (own.size() > 0) {
                    wakeOneIdle(carrier); // the same for the half it moved
                }
                return s;
            }
        }
        return null;
    }

    @Override
    public boolean hasWorkFor(CarrierView carrier) {
        if (!injection.isEmpty()) {
            return true;
        }
        for (StealQueue<Unstarted>.Stealer q : stealers) {
            if (q.size() > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<CarrierView> carriers() {
        List<CarrierView> all = new ArrayList<>();
        for (int i = 0; i < carriers.length(); i++) {
            CarrierView c = carriers.get(i);
            if (c != null) {
                all.add(c);
            }
        }
        return all;
    }

    @Override
    public int queued(int carrierIndex) {
        return stealers.get(carrierIndex).size();
    }

    @Override
    public int injected() {
        int n = 0;
        for (Object o : injection) {
            n += o instanceof Batch b ? b.strands().size() : 1;
        }
        return n;
    }

    /** Spares (slots N and up) retire after the keep-alive; the base carriers never do. */
    @Override
    public long idleLimitNanos(CarrierView carrier) {
        return carrier.index() >= base ? keepAliveNanos : 0;
    }

    @Override
    public void start() {
        compensator.start();
    }

    @Override
    public void stop() throws InterruptedException {
        compensator.stop();
        compensator.awaitStopped();
    }

    @Override
    public long compensations() {
        return compensator.compensations();
    }
}
