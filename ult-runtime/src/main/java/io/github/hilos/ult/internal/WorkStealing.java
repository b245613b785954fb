package io.github.hilos.ult.internal;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Placement and load balancing of unstarted strands over the carriers of an M:N runtime. A strand spawned on a
 * carrier goes to that carrier's own {@link StealQueue} (LIFO for its owner: depth-first, cache-warm); a strand
 * spawned from any other thread goes to the shared injection queue (lock-free, multi-consumer). A carrier that runs out of
 * work takes, in order: its own queue, the injection queue, then half of a random victim's queue. Only
 * unstarted strands move; a strand that has run stays on its carrier (docs/decisions.md, decision 2).
 *
 * <p>No lost wake-up: a placer publishes the strand, then (full fence) wakes one idle carrier; a carrier
 * publishes that it is idle, then (full fence, in {@link Carrier}) asks {@link #hasWorkFor} before it blocks.
 * The injection queue is also polled every {@code WORK_INTERVAL} rounds by every carrier, so nothing starves
 * behind busy carriers.
 */
final class WorkStealing implements WorkSource {

    private static final int LOCAL_CAPACITY = 256;

    private final UltRuntimeImpl runtime;
    /**
     * Strands spawned from outside the carriers. Every carrier polls it, so it must be multi-consumer: JCTools'
     * unbounded MPMC queue needs {@code sun.misc.Unsafe} (a warning on JDK 25), hence the JDK's lock-free queue.
     */
    private final ConcurrentLinkedQueue<UltStrand> injection = new ConcurrentLinkedQueue<>();
    private List<StealQueue<UltStrand>> queues;
    /** Slot i holds carrier i: the N base carriers, then spares while active (null when not). */
    private AtomicReferenceArray<Carrier> carriers;
    /** Carriers spinning for work now; at most {@link #maxSpinning} (half the base carriers, at least one). */
    private final java.util.concurrent.atomic.AtomicInteger spinning = new java.util.concurrent.atomic.AtomicInteger();
    private int maxSpinning = 1;

    WorkStealing(UltRuntimeImpl runtime) {
        this.runtime = runtime;
    }

    /**
     * Sets up the slots: the base carriers, and room for spares.
     *
     * @param base the base carriers, indexes 0..N-1
     * @param spares how many spare slots follow them
     */
    void attach(Carrier[] base, int spares) {
        int slots = base.length + spares;
        this.maxSpinning = Math.max(1, base.length / 2);
        this.carriers = new AtomicReferenceArray<>(slots);
        List<StealQueue<UltStrand>> made = new ArrayList<>(slots);
        for (int i = 0; i < slots; i++) {
            made.add(new StealQueue<>(LOCAL_CAPACITY));
            if (i < base.length) {
                carriers.set(i, base[i]);
            }
        }
        this.queues = List.copyOf(made);
    }

    /** Puts a started spare carrier in its slot. */
    void activate(Carrier spare) {
        carriers.set(spare.index, spare);
    }

    int slots() {
        return carriers.length();
    }

    /** The carrier in a slot, or null (a spare slot not in use). */
    Carrier carrier(int slot) {
        return carriers.get(slot);
    }

    /**
     * Moves a stuck carrier's unstarted strands to the injection queue, where free carriers take them; any
     * thread (a thief's end).
     *
     * @param stuck the stuck carrier
     * @return how many moved
     */
    int rescue(Carrier stuck) {
        int moved = 0;
        for (UltStrand s; (s = queues.get(stuck.index).stealer().steal()) != null; ) {
            injection.offer(s);
            moved++;
        }
        if (moved > 0) {
            wakeOneIdle(stuck);
        }
        return moved;
    }

    /** Places a new strand; any thread. */
    void place(UltStrand s) {
        Carrier here = Carrier.ofCurrentThread();
        if (here != null && here.runtime == runtime) {
            StealQueue<UltStrand>.Local local = queues.get(here.index).local();
            if (!local.push(s)) {
                local.drainHalf(injection::offer); // overflow: share half with everyone
                if (!local.push(s)) {
                    injection.offer(s);
                }
            }
            here.counters.placedLocally++;
        } else {
            injection.offer(s);
        }
        wakeOneIdle(here);
    }

    /**
     * Wakes one idle carrier for work just published, unless a carrier is spinning: a spinner looks at the queues
     * every round (and re-checks them before it blocks), so it takes the work, and when it does and sees more, it
     * wakes another ({@link #wakeAnother}). Each idle carrier is woken for one placement only ({@link Carrier#tryNotify}):
     * a burst of placements wakes as many carriers as it has strands, not the same one again and again.
     */
    private void wakeOneIdle(Carrier except) {
        VarHandle.fullFence(); // Dekker with Carrier.block(): the strand is published, now read spinning and idle
        if (spinning.get() > 0) {
            return;
        }
        for (int i = 0; i < carriers.length(); i++) {
            Carrier c = carriers.get(i);
            if (c != null && c != except && !c.isRetired() && c.tryNotify()) {
                c.wake();
                return;
            }
        }
    }

    @Override
    public void wakeAnother(Carrier finder) {
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
    public UltStrand take(Carrier carrier) {
        StealQueue<UltStrand>.Local own = queues.get(carrier.index).local();
        UltStrand s = own.pop();
        if (s != null) {
            return s;
        }
        s = injection.poll();
        if (s != null) {
            return s;
        }
        int n = carriers.length();
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int k = 0; k < n; k++) {
            int victim = (start + k) % n;
            if (victim == carrier.index) {
                continue;
            }
            s = queues.get(victim).stealer().stealHalfInto(own);
            if (s != null) {
                carrier.counters.steals++;
                return s;
            }
        }
        return null;
    }

    @Override
    public boolean hasWorkFor(Carrier carrier) {
        if (!injection.isEmpty()) {
            return true;
        }
        for (StealQueue<UltStrand> q : queues) {
            if (q.size() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Unstarted strands waiting in {@code carrier}'s own queue (estimate). */
    int queued(int carrierIndex) {
        return queues.get(carrierIndex).size();
    }

    int injected() {
        return injection.size();
    }
}
