package io.github.hilos.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of requests in progress (bodies being received) the servers that share it may hold at once, so
 * that per-connection limits cannot add up to more than the heap: 10 000 connections may each send a body up to
 * the body limit, but not all at once. A decoder reserves a body's memory as it grows and gives it back when the
 * request is complete or its connection ends; a reservation past the budget fails, and HTTP answers that request
 * {@code 503} and closes its connection. The JVM-wide default, {@link #shared()}, is 1/64 of the maximum heap
 * (32 MiB of a 2 GiB heap; at least 8 MiB): bodies are held whole, so a server that accepts many large uploads at
 * once gives its codec a larger budget of its own. Thread-safe.
 */
public final class MemoryBudget {

    private static final MemoryBudget SHARED = new MemoryBudget(Math.max(8L << 20, Runtime.getRuntime().maxMemory() / 64));

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    private MemoryBudget(long limit) {
        this.limit = limit;
    }

    /**
     * The budget every codec uses unless given one: 1/64 of the JVM's maximum heap (at least 8 MiB), shared by every
     * server.
     *
     * @return the shared budget
     */
    public static MemoryBudget shared() {
        return SHARED;
    }

    /**
     * A budget of its own.
     *
     * @param bytes how many bytes; positive
     * @return the budget
     */
    public static MemoryBudget ofBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive: " + bytes);
        }
        return new MemoryBudget(bytes);
    }

    /**
     * Reserves {@code bytes} if the budget has them.
     *
     * @param bytes how many; not negative
     * @return whether they were reserved
     */
    public boolean tryReserve(long bytes) {
        for (;;) {
            long seen = used.get();
            if (seen + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(seen, seen + bytes)) {
                return true;
            }
        }
    }

    /**
     * Gives back bytes reserved earlier.
     *
     * @param bytes how many
     */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /**
     * Returns the bytes reserved now.
     *
     * @return the bytes in use
     */
    public long used() {
        return used.get();
    }

    /**
     * Returns the budget's size.
     *
     * @return the limit in bytes
     */
    public long limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + used.get() + " of " + limit + " bytes]";
    }
}
