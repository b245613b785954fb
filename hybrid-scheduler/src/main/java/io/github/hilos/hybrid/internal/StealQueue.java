package io.github.hilos.hybrid.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A bounded work-stealing deque of strands that have not started yet (Chase-Lev, as corrected for weak memory
 * models by Lê, Pop, Cohen and Zappa Nardelli, PPoPP 2013). Its two ends are two types: the carrier that owns it
 * holds the {@link Local} end (push and pop at the bottom, LIFO, single thread); every other carrier holds a
 * {@link Stealer} (take from the top, FIFO, any thread). Each element is taken exactly once.
 *
 * <p>Fields and access modes: {@code top} is changed only by CAS (thieves, and the owner taking the last
 * element) and read with acquire; {@code bottom} is written by the owner only (release, or plain followed by a
 * full fence in {@code pop}) and read by thieves with acquire; slots are written by the owner with release
 * stores before {@code bottom} publishes them, and read with acquire. The fences pair as follows: the full fence
 * in {@link Local#pop()} (after lowering {@code bottom}, before reading {@code top}) with the one in
 * {@link Stealer#steal()} (after reading {@code top}, before reading {@code bottom}), so the owner and a thief
 * never both take the last element. A slot is reused only after {@code top} has passed it, so a thief that read
 * a slot and won its CAS read the element that was there.
 *
 * @param <T> the element type
 */
final class StealQueue<T> {

    private static final VarHandle TOP;
    private static final VarHandle BOTTOM;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(StealQueue.class, "top", long.class);
            BOTTOM = lookup.findVarHandle(StealQueue.class, "bottom", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    @SuppressWarnings("unused")
    private volatile long top;
    @SuppressWarnings("unused")
    private volatile long bottom;
    /**
     * The two ends of one queue: the owner's, handed to the owning carrier when it is made, and the thieves',
     * which the shared scheduler keeps.
     *
     * @param local the owner's end
     * @param stealer the thieves' end
     * @param <T> the element type
     */
    record Ends<T>(StealQueue<T>.Local local, StealQueue<T>.Stealer stealer) {
    }

    /**
     * Makes an empty queue and returns its two ends; the queue itself is reachable only through them.
     *
     * @param capacity a power of two
     * @param <T> the element type
     * @return the ends
     */
    static <T> Ends<T> create(int capacity) {
        StealQueue<T> q = new StealQueue<>(capacity);
        return new Ends<>(q.new Local(), q.new Stealer());
    }

    private StealQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("steal queue capacity must be a power of 2: " + capacity);
        }
        this.slots = new Object[capacity];
        this.mask = capacity - 1;
    }

    /** An estimate of the number of elements (exact for the owner when no thief is active). */
    int size() {
        long t = (long) TOP.getAcquire(this);
        long b = (long) BOTTOM.getAcquire(this);
        return (int) Math.max(0, b - t);
    }

    /** The owner's end: push and pop at the bottom. Owner thread only. */
    final class Local {

        /** The owner drains its overflow with the thieves' protocol: its own stealing end. */
        private final Stealer drain = new Stealer();

        /**
         * Pushes an element.
         *
         * @param element the element
         * @return false if the queue is full (the caller puts it elsewhere)
         */
        boolean push(T element) {
            long b = (long) BOTTOM.get(StealQueue.this);
            long t = (long) TOP.getAcquire(StealQueue.this);
            if (b - t >= slots.length) {
                return false;
            }
            SLOTS.setRelease(slots, (int) (b & mask), element);
            BOTTOM.setRelease(StealQueue.this, b + 1);
            return true;
        }

        /**
         * The number of elements; an upper bound for the owner (thieves only ever take).
         *
         * @return the count
         */
        int size() {
            return StealQueue.this.size();
        }

        /** Free slots; exact for the owner (thieves only ever free slots). */
        int room() {
            return slots.length - size();
        }

        /**
         * Pops the most recently pushed element.
         *
         * @return the element, or null if empty (or a thief took the last one)
         */
        @SuppressWarnings("unchecked")
        T pop() {
            long b = (long) BOTTOM.get(StealQueue.this) - 1;
            BOTTOM.set(StealQueue.this, b);
            VarHandle.fullFence(); // pairs with the full fence in Stealer.steal()
            long t = (long) TOP.get(StealQueue.this);
            if (t > b) {
                BOTTOM.set(StealQueue.this, b + 1); // empty: restore
                return null;
            }
            T element = (T) SLOTS.getAcquire(slots, (int) (b & mask));
            if (t == b) { // the last element: race the thieves for it
                if (!TOP.compareAndSet(StealQueue.this, t, t + 1)) {
                    element = null;
                }
                BOTTOM.set(StealQueue.this, b + 1);
            }
            return element;
        }

        /**
         * Moves up to half of the elements (rounded up) into {@code sink}, oldest first: used to overflow into a
         * shared queue.
         *
         * @param sink where they go
         * @return how many moved
         */
        int drainHalf(Consumer<T> sink) {
            int n = (size() + 1) / 2;
            int moved = 0;
            for (; moved < n; moved++) {
                T element = drain.steal();
                if (element == null) {
                    break;
                }
                sink.accept(element);
            }
            return moved;
        }
    }

    /** The thieves' end: take from the top. Any thread. */
    final class Stealer {

        /**
         * An estimate of the number of elements; any thread.
         *
         * @return the estimate
         */
        int size() {
            return StealQueue.this.size();
        }

        /**
         * Takes the oldest element.
         *
         * @return the element, or null if empty or another taker won the race (retry if it matters)
         */
        @SuppressWarnings("unchecked")
        T steal() {
            long t = (long) TOP.getAcquire(StealQueue.this);
            VarHandle.fullFence(); // pairs with the full fence in Local.pop()
            long b = (long) BOTTOM.getAcquire(StealQueue.this);
            if (t >= b) {
                return null;
            }
            T element = (T) SLOTS.getAcquire(slots, (int) (t & mask));
            if (!TOP.compareAndSet(StealQueue.this, t, t + 1)) {
                return null;
            }
            return element;
        }

        /**
         * Steals about half of the elements (at most what fits) into the thief's own queue, and returns one more
         * to run at once. Called by the owner of {@code into}.
         *
         * @param into the thief's own queue
         * @return one stolen element to run now, or null if nothing was stolen
         */
        T stealHalfInto(StealQueue<T>.Local into) {
            T first = steal();
            if (first == null) {
                return null;
            }
            int room = into.room();
            int more = Math.min(size() / 2, room);
            for (int i = 0; i < more; i++) {
                T next = steal();
                if (next == null) {
                    break;
                }
                boolean pushed = into.push(next);
                assert pushed : "room was checked by the owner of the queue";
            }
            return first;
        }
    }
}
