package io.github.hilos.sync;

/**
 * A FIFO of {@link Waiter}s, intrusive (the links live in the waiters). Not thread-safe: every method is
 * called with the owning primitive's queue lock held (a {@link SpinLock}, or the lock bit of {@link Semaphore}'s
 * sync word). Waiters that gave up are unlinked by themselves
 * or skipped lazily by {@link #pollWaiting()}.
 */
final class WaitQueue {

    private Waiter head;
    private Waiter tail;
    private int size;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    void add(Waiter w) {
        assert w.queue == null : "waiter already queued";
        w.queue = this;
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
    }

    void remove(Waiter w) {
        if (w.queue != this) {
            return; // already unlinked (served, or given up), or in another queue
        }
        w.queue = null;
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        size--;
    }

    /** The first waiter that is still waiting, unlinking those before it that gave up; null if none. */
    Waiter peekWaiting() {
        Waiter w = head;
        while (w != null && !w.isWaiting()) {
            Waiter next = w.next;
            remove(w);
            w = next;
        }
        return w;
    }

    /** Unlinks and returns the first waiter that is still waiting (it may still give up); null if none. */
    Waiter pollWaiting() {
        Waiter w = peekWaiting();
        if (w != null) {
            remove(w);
        }
        return w;
    }
}
