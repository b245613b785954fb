package io.github.hilos.api;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A variable with one value per strand: what {@link ThreadLocal} is to threads. Inside a user-level strand,
 * {@code ThreadLocal}s belong to the carrier thread and are shared by every strand on it; use this instead.
 *
 * <p>Each strand reads and writes only its own values, so no access needs synchronization. A strand's values
 * live as long as the strand, or until {@link #remove()}: a strand that outlives a strand-local it used keeps
 * that value (as a thread keeps a {@code ThreadLocal} value until it is expunged), so a long-lived strand
 * should {@code remove()} what it no longer needs.
 *
 * <p>Implementation: each strand has a small open-addressing table (linear probing, power-of-two size, at most
 * two thirds full) from strand-local to value, made on its first use, so a strand pays for the locals it
 * touches and nothing for the others, however many strand-locals the program has made and dropped. Hashes are
 * spread like {@code ThreadLocal}'s (multiples of the golden-ratio increment).
 *
 * @param <T> the value type
 */
public final class StrandLocal<T> {

    private static final int HASH_INCREMENT = 0x61c88647;
    private static final AtomicInteger NEXT_HASH = new AtomicInteger();
    private static final Object UNSET = new Object();
    private static final int INITIAL_SLOTS = 8;

    private final int hash = NEXT_HASH.getAndAdd(HASH_INCREMENT);
    private final Supplier<? extends T> initial;

    /** Makes a strand-local whose initial value is {@code null}. */
    public StrandLocal() {
        this(() -> null);
    }

    private StrandLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /**
     * Makes a strand-local whose initial value comes from {@code initial}, called once per strand on first use.
     *
     * @param initial supplies each strand's initial value
     * @param <T> the value type
     * @return the strand-local
     */
    public static <T> StrandLocal<T> withInitial(Supplier<? extends T> initial) {
        return new StrandLocal<>(Objects.requireNonNull(initial, "initial"));
    }

    /**
     * Returns the current strand's value.
     *
     * @return the value, the initial one if none was set
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Strand me = Strand.current();
        Object[] table = me.locals;
        if (table != null) {
            int i = slotOf(table);
            if (table[i] == this && table[i + 1] != UNSET) {
                return (T) table[i + 1];
            }
        }
        T first = initial.get();
        put(me, first);
        return first;
    }

    /**
     * Sets the current strand's value.
     *
     * @param value the value
     */
    public void set(T value) {
        put(Strand.current(), value);
    }

    /** Forgets the current strand's value; the next {@link #get()} calls the initial supplier again. */
    public void remove() {
        Object[] table = Strand.current().locals;
        if (table != null) {
            int i = slotOf(table);
            if (table[i] == this) {
                table[i + 1] = UNSET; // the key stays: probing for other keys must not stop at a hole
            }
        }
    }

    /** The pair index of this key in {@code table}, or of the empty slot where it would go. */
    private int slotOf(Object[] table) {
        int mask = (table.length >> 1) - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            Object key = table[slot << 1];
            if (key == this || key == null) {
                return slot << 1;
            }
        }
    }

    private void put(Strand strand, Object value) {
        Object[] table = strand.locals;
        if (table == null) {
            table = new Object[INITIAL_SLOTS << 1];
            strand.locals = table;
        }
        int i = slotOf(table);
        if (table[i] == null) {
            if (++strand.localCount * 3 > table.length) { // pairs > 2/3 of the slots after this one: grow first
                table = grow(table);
                strand.locals = table;
                i = slotOf(table);
            }
            table[i] = this;
        }
        table[i + 1] = value;
    }

    private static Object[] grow(Object[] old) {
        Object[] table = new Object[old.length << 1];
        int mask = (table.length >> 1) - 1;
        for (int j = 0; j < old.length; j += 2) {
            if (old[j] instanceof StrandLocal<?> key) {
                int slot = key.hash & mask;
                while (table[slot << 1] != null) {
                    slot = (slot + 1) & mask;
                }
                table[slot << 1] = key;
                table[(slot << 1) + 1] = old[j + 1];
            }
        }
        return table;
    }
}
