package io.github.hilos.ult;

import io.github.hilos.api.Strand;

/**
 * Decides which runnable strand a carrier runs next: the chapter's "scheduling strategy suited to the
 * application". A carrier owns one policy instance and calls it from its own thread only, so implementations
 * need no synchronization ("not thread-safe" by design).
 *
 * <p>Built-in policies: {@link SchedulingPolicies#fifo()} (default), {@link SchedulingPolicies#lifo()},
 * {@link SchedulingPolicies#priority(int)} and {@link SchedulingPolicies#deterministic(long)}.
 */
public interface SchedulingPolicy {

    /** Why a strand became runnable. */
    enum Reason {
        /** It was just spawned. */
        SPAWNED,
        /** It was parked and has been unparked, interrupted, or its timeout expired. */
        WOKEN,
        /** It called {@link Strand#yield()}. */
        YIELDED
    }

    /**
     * Adds a runnable strand. Carrier thread only.
     *
     * @param strand the strand; {@link #poll()} must return this same object later
     * @param priority the strand's priority (higher runs first under a priority policy; default 5)
     * @param reason why it is runnable
     */
    void add(Strand strand, int priority, Reason reason);

    /**
     * Removes and returns the strand to run next. Carrier thread only.
     *
     * @return the strand, or {@code null} if none is runnable
     */
    Strand poll();

    /**
     * Returns how many strands are runnable. Carrier thread only.
     *
     * @return the count
     */
    int size();

    /**
     * Returns a short description for dumps and logs.
     *
     * @return for example {@code "fifo"}
     */
    default String describe() {
        return getClass().getSimpleName();
    }
}
