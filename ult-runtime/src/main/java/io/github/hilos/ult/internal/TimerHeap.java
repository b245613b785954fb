package io.github.hilos.ult.internal;

import java.util.Arrays;

/**
 * The carrier's timers: a binary min-heap of {@link Timed} nodes by deadline, indexed (each node knows its slot)
 * so that cancelling a timer when its strand wakes early is O(log n), and the next deadline is exact, which is
 * what the carrier's idle {@code select} uses as its timeout. Not thread-safe: carrier thread only.
 *
 * <p>Chosen over Agrona's {@code DeadlineTimerWheel}: a wheel rounds deadlines to ticks and cannot say when the
 * next timer is due without scanning, and an idle carrier would have to wake every tick.
 */
final class TimerHeap {

    /** A node the heap can hold: a strand in a timed wait. */
    abstract static class Timed {
        /** Deadline on the {@link System#nanoTime()} clock; carrier only. */
        long deadline;
        /** Slot in the heap, or -1 when not scheduled; carrier only. */
        int heapIndex = -1;

        /** Called by {@link #expire(long)} on the carrier when the deadline passed. */
        abstract void onExpiry();
    }

    private Timed[] heap = new Timed[16];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The earliest deadline; only when not empty. */
    long nextDeadline() {
        assert size > 0;
        return heap[0].deadline;
    }

    void schedule(Timed t, long deadline) {
        assert t.heapIndex < 0 : "timer already scheduled";
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.deadline = deadline;
        t.heapIndex = size;
        heap[size++] = t;
        siftUp(t.heapIndex);
    }

    /** Removes {@code t} if scheduled; returns whether it was. */
    boolean cancel(Timed t) {
        int i = t.heapIndex;
        if (i < 0) {
            return false;
        }
        Timed last = heap[--size];
        heap[size] = null;
        t.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
        return true;
    }

    /** Fires every timer whose deadline is at or before {@code now}; returns how many. */
    int expire(long now) {
        int fired = 0;
        while (size > 0 && heap[0].deadline - now <= 0) {
            Timed t = heap[0];
            cancel(t);
            t.onExpiry();
            fired++;
        }
        return fired;
    }

    private void siftUp(int i) {
        Timed t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timed p = heap[parent];
            if (p.deadline - t.deadline <= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timed t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                child = right;
            }
            Timed c = heap[child];
            if (t.deadline - c.deadline <= 0) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
