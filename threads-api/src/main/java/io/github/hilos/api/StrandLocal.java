package io.github.hilos.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A variable with one value per strand: what {@link ThreadLocal} is to threads. Inside a user-level strand,
 * {@code ThreadLocal}s belong to the carrier thread and are shared by every strand on it; use this instead.
 *
 * <p>Each strand reads and writes only its own values, so no access needs synchronization. Values live as long
 * as the strand object.
 *
 * @param <T> the value type
 */
public final class StrandLocal<T> {

    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();
    private static final Object UNSET = new Object();

    private final int index = NEXT_INDEX.getAndIncrement();
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
        Object[] values = values(Strand.current());
        Object value = values[index];
        if (value == UNSET) {
            T first = initial.get();
            values[index] = first;
            return first;
        }
        return (T) value;
    }

    /**
     * Sets the current strand's value.
     *
     * @param value the value
     */
    public void set(T value) {
        values(Strand.current())[index] = value;
    }

    /** Forgets the current strand's value; the next {@link #get()} calls the initial supplier again. */
    public void remove() {
        values(Strand.current())[index] = UNSET;
    }

    private Object[] values(Strand strand) {
        Object[] values = strand.locals;
        if (values == null || values.length <= index) {
            int size = Math.max(8, Integer.highestOneBit(index) << 1);
            Object[] grown = values == null ? new Object[size] : Arrays.copyOf(values, size);
            Arrays.fill(grown, values == null ? 0 : values.length, size, UNSET);
            strand.locals = grown;
            values = grown;
        }
        return values;
    }
}
