package io.github.hilos.sync;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.SwitchPoints;
import io.github.hilos.spi.Durations;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one {@link Channel} implementation: a buffer of {@code capacity} values (0: rendezvous) and two queues
 * of parked strands, senders holding their value and receivers waiting for one, all guarded by one
 * {@link SpinLock}.
 *
 * <p>Invariants (under the lock): receivers wait only while the buffer is empty and no sender waits; senders
 * wait only while the buffer is full. A value moves either into the buffer, or from a sender to a receiver
 * whose {@link Waiter} the mover claimed; the claim CAS makes each hand-over happen once, also against a
 * waiter's timeout or a {@link Select} served elsewhere. Close claims every waiter with {@link #CLOSED} as
 * its item. {@code id} orders the locks when a {@link Select} holds several.
 *
 * @param <T> the value type
 */
final class BufferedChannel<T> implements Channel<T> {

    /** Item of a waiter woken by close, and result of {@link #pollLocked()} on a closed, drained channel. */
    static final Object CLOSED = new Object();
    /** Result of {@link #pollLocked()} when nothing is available. */
    static final Object EMPTY = new Object();
    /** Results of {@link #offerLocked(Object)}. */
    static final int SENT = 0;
    static final int FULL = 1;
    static final int REFUSED_CLOSED = 2;

    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final SpinLock lock = new SpinLock();
    private final int capacity;
    private final ArrayDeque<T> buffer;
    private final WaitQueue senders = new WaitQueue();
    private final WaitQueue receivers = new WaitQueue();
    /** Written under the lock; read without it by {@link #isClosed()}. */
    private volatile boolean closed;

    BufferedChannel(int capacity) {
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(Math.min(capacity, 16));
    }

    @Override
    public void send(T value) throws InterruptedException {
        sendNanos(value, Long.MAX_VALUE);
    }

    @Override
    public boolean send(T value, Duration timeout) throws InterruptedException {
        return sendNanos(value, Durations.toNanos(timeout, "send timeout"));
    }

    @Override
    public boolean trySend(T value) {
        Objects.requireNonNull(value, "channel values must not be null");
        int status;
        lock.lock();
        try {
            status = offerLocked(value);
        } finally {
            lock.unlock();
        }
        return checkSent(status);
    }

    private boolean sendNanos(T value, long nanos) throws InterruptedException {
        SwitchPoints.reached();
        Objects.requireNonNull(value, "channel values must not be null");
        if (Strand.interrupted()) {
            throw new InterruptedException("interrupted before sending on " + this);
        }
        Waiter w = new Waiter(Strand.current());
        w.item = value;
        int status;
        lock.lock();
        try {
            status = offerLocked(value);
            if (status == FULL && nanos != 0) {
                senders.add(w);
            }
        } finally {
            lock.unlock();
        }
        if (status != FULL || nanos == 0) {
            return checkSent(status);
        }
        int outcome = w.await(nanos, true, this);
        if (outcome == Waiter.SERVED) {
            if (w.item == CLOSED) {
                throw closedForSend();
            }
            return true;
        }
        removeWaiter(w);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException("interrupted while sending on " + this);
        }
        return false;
    }

    private boolean checkSent(int status) {
        if (status == REFUSED_CLOSED) {
            throw closedForSend();
        }
        return status == SENT;
    }

    @Override
    public T receive() throws InterruptedException {
        return receiveNanos(Long.MAX_VALUE);
    }

    @Override
    public T receive(Duration timeout) throws InterruptedException {
        return receiveNanos(Durations.toNanos(timeout, "receive timeout"));
    }

    @Override
    public T tryReceive() {
        Object got;
        lock.lock();
        try {
            got = pollLocked();
        } finally {
            lock.unlock();
        }
        return got == EMPTY ? null : checkReceived(got);
    }

    private T receiveNanos(long nanos) throws InterruptedException {
        SwitchPoints.reached();
        if (Strand.interrupted()) {
            throw new InterruptedException("interrupted before receiving on " + this);
        }
        Waiter w = new Waiter(Strand.current());
        Object got;
        lock.lock();
        try {
            got = pollLocked();
            if (got == EMPTY && nanos != 0) {
                receivers.add(w);
            }
        } finally {
            lock.unlock();
        }
        if (got != EMPTY || nanos == 0) {
            return got == EMPTY ? null : checkReceived(got);
        }
        int outcome = w.await(nanos, true, this);
        if (outcome == Waiter.SERVED) {
            return checkReceived(w.item);
        }
        removeWaiter(w);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException("interrupted while receiving on " + this);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private T checkReceived(Object got) {
        if (got == CLOSED) {
            throw new ChannelClosedException("receive on a closed and drained channel " + this);
        }
        return (T) got;
    }

    /**
     * Moves {@code value} to a waiting receiver or into the buffer. Lock held.
     *
     * @return {@link #SENT}, {@link #FULL} or {@link #REFUSED_CLOSED}
     */
    int offerLocked(T value) {
        if (closed) {
            return REFUSED_CLOSED;
        }
        for (Waiter r; (r = receivers.pollWaiting()) != null; ) {
            r.item = value;
            if (r.claimAndWake()) {
                return SENT;
            }
        }
        if (buffer.size() < capacity) {
            buffer.addLast(value);
            return SENT;
        }
        return FULL;
    }

    /**
     * Takes a value from the buffer (refilling it from a waiting sender) or straight from a waiting sender.
     * Lock held.
     *
     * @return the value, {@link #EMPTY}, or {@link #CLOSED} if closed and drained
     */
    Object pollLocked() {
        T value = buffer.pollFirst();
        if (value != null) {
            for (Waiter s; (s = senders.pollWaiting()) != null; ) {
                Object item = s.item;
                if (s.claimAndWake()) {
                    @SuppressWarnings("unchecked")
                    T moved = (T) item;
                    buffer.addLast(moved);
                    break;
                }
            }
            return value;
        }
        for (Waiter s; (s = senders.pollWaiting()) != null; ) {
            Object item = s.item;
            if (s.claimAndWake()) {
                return item;
            }
        }
        return closed ? CLOSED : EMPTY;
    }

    /** Queues a select's receive case. Lock held. */
    void addReceiverLocked(Waiter w) {
        receivers.add(w);
    }

    /** Queues a select's send case; its value is in {@code w.item}. Lock held. */
    void addSenderLocked(Waiter w) {
        senders.add(w);
    }

    /** Unlinks a waiter that gave up or a select's case after the select ended, if it is still queued here. */
    void removeWaiter(Waiter w) {
        lock.lock();
        try {
            senders.remove(w);
            receivers.remove(w);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // Receivers wait only on an empty buffer, so each of them has nothing left to get.
            for (Waiter r; (r = receivers.pollWaiting()) != null; ) {
                r.item = CLOSED;
                r.claimAndWake();
            }
            for (Waiter s; (s = senders.pollWaiting()) != null; ) {
                s.item = CLOSED;
                s.claimAndWake();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    ChannelClosedException closedForSend() {
        return new ChannelClosedException("send on a closed channel " + this);
    }

    @Override
    public String toString() {
        String kind = capacity == 0 ? "rendezvous" : capacity == Integer.MAX_VALUE ? "unbounded" : "bounded(" + capacity + ")";
        return "Channel#" + id + "[" + kind + (closed ? ", closed]" : "]");
    }
}
