package io.github.hilos.ult.internal;

import io.github.hilos.api.Strand;
import io.github.hilos.net.StrandSelector;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A {@link StrandSelector} for one strand of a user-level runtime: its channels join the selector of the strand's
 * carrier, so that one poll serves the carrier's sockets and this strand's channels, and a select parks only the
 * strand. The carrier's poll marks a key ready, removes its interest (so that a key nobody has handled yet does
 * not make every poll return at once) and unparks the selecting strand; the select reports it and restores its
 * interest, so that a channel still ready is reported again (level-triggered, like {@code Selector}).
 *
 * <p>Threads: the selecting strand never leaves its carrier, and the carrier polls only while no strand of it
 * runs, so the ready queue and the keys' fields are touched by that one thread (plain fields). {@link #wakeup()}
 * may come from any thread: it sets the volatile {@code woken} and unparks the volatile {@code waiter}; the
 * strand reads {@code woken} after publishing {@code waiter} (park loop), so no wake-up is lost. A wake-up is
 * consumed where a select looks at it (on entry and in its wait): one that lands after the wait ended for another
 * reason (readiness, timeout, interrupt) stays pending and ends the next select, as with the JDK's selectors.
 * {@link #close()} may come from any thread too: it sets the volatile {@code closed}, cancels the keys (a
 * {@code SelectionKey}'s cancel is thread-safe; the keys are kept in a concurrent set for that) and wakes the
 * waiter, whose select then throws {@link ClosedSelectorException}.
 *
 * <p>What it keeps of the {@code Selector} contract: every select polls, so channels already ready are reported
 * even when a pending wake-up ends it at once; only the operations still of interest are reported; a key
 * cancelled here (or by closing this selector) leaves the carrier's poller before the channel registers again,
 * with this selector or another; timeouts saturate.
 */
final class UltSelector extends StrandSelector {

    private final Carrier carrier;
    /** Keys found ready and not yet reported. Carrier thread only. */
    private final ArrayDeque<UltKey> ready = new ArrayDeque<>();
    /** The strand parked in select, or null. Written by it, read by wakeup() from any thread: volatile. */
    private volatile UltStrand waiter;
    private volatile boolean woken;
    private volatile boolean closed;
    /** Every key this selector registered and has not seen cancelled; any thread reads it (close). */
    private final java.util.Set<UltKey> keys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Size of {@link #keys} at which register drops the keys of closed channels; owner only. */
    private int purgeAt = 64;

    UltSelector(Carrier carrier) {
        this.carrier = carrier;
    }

    private final class UltKey implements Key, ReadyHandler {
        final Object attachment;
        SelectionKey key;
        int interest;
        int readyOps;
        /** In the ready queue: its selection-key interest is cleared until it is reported. */
        boolean queued;

        UltKey(Object attachment, int interest) {
            this.attachment = attachment;
            this.interest = interest;
        }

        @Override
        public void onReady(SelectionKey k) {
            try {
                readyOps = k.readyOps();
                k.interestOps(0);
            } catch (CancelledKeyException cancelled) {
                return;
            }
            if (!queued) {
                queued = true;
                ready.add(this);
            }
            UltStrand w = waiter;
            if (w != null) {
                w.unpark();
            }
        }

        @Override
        public SelectableChannel channel() {
            return key.channel();
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public int interestOps() {
            return interest;
        }

        @Override
        public void interestOps(int ops) {
            checkCarrier();
            if ((ops & ~key.channel().validOps()) != 0) {
                throw new IllegalArgumentException("operations " + ops + " not valid for " + key.channel());
            }
            interest = ops;
            if (!queued) {
                key.interestOps(ops);
            }
        }

        @Override
        public int readyOps() {
            return readyOps;
        }

        @Override
        public void cancel() {
            key.cancel();
            keys.remove(this);
        }

        UltSelector owner() {
            return UltSelector.this;
        }

        @Override
        public boolean isValid() {
            return key.isValid();
        }
    }

    private void checkCarrier() {
        if (!carrier.isCarrierThread() || carrier.mounted() == null) {
            throw new IllegalStateException("a strand selector is used by the strand that opened it, not from "
                    + Thread.currentThread().getName());
        }
    }

    @Override
    public Key register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        checkCarrier();
        if (closed) {
            throw new ClosedSelectorException();
        }
        SelectionKey existing = channel.keyFor(carrier.selector);
        if (existing != null && !existing.isValid()) {
            // Cancelled (by this or another selector, or a close) but still in the carrier's selector until its
            // next poll, and registering now would throw CancelledKeyException: poll now, which drops it.
            carrier.pollNow();
            existing = channel.keyFor(carrier.selector);
        }
        if (existing != null && existing.isValid()) {
            if (existing.attachment() instanceof UltKey mine && mine.owner() == this) {
                mine.interestOps(ops); // registering again changes the interest, as with a Selector
                return mine;
            }
            // register() would replace that registration's attachment and silence it
            throw new IllegalStateException("the channel is already registered with this carrier's poller by "
                    + "another strand selector or a strand socket");
        }
        UltKey k = new UltKey(attachment, ops);
        k.key = channel.register(carrier.selector, ops, k);
        if (keys.size() >= purgeAt) { // closed channels' keys, amortized: at most once per doubling
            keys.removeIf(old -> !old.key.isValid());
            purgeAt = Math.max(64, keys.size() * 2);
        }
        keys.add(k);
        if (closed) { // closed from another thread meanwhile: its close() may have missed this key
            k.key.cancel();
            keys.remove(k);
            throw new ClosedSelectorException();
        }
        return k;
    }

    @Override
    public int select(Duration timeout, Consumer<Key> action) throws IOException {
        checkCarrier();
        if (closed) {
            ready.clear();
            throw new ClosedSelectorException();
        }
        long nanos = timeout.isNegative() ? 0 : io.github.hilos.spi.Durations.toNanos(timeout, "select timeout");
        // Always poll: a pending wake-up ends this select at once, but what is ready now is still reported.
        carrier.pollNow();
        boolean wokenBefore = consumeWakeup();
        if (ready.isEmpty() && !wokenBefore && nanos > 0) {
            await(nanos);
        }
        if (closed) {
            ready.clear();
            throw new ClosedSelectorException();
        }
        int n = 0;
        for (UltKey k; (k = ready.poll()) != null; ) {
            k.queued = false;
            if (!k.key.isValid()) {
                continue;
            }
            int reported = k.readyOps & k.interest;
            if (reported == 0) {
                // its interest changed while it waited here: not ready for what is wanted now
                restoreInterest(k);
                continue;
            }
            k.readyOps = reported;
            n++;
            action.accept(k);
            if (!k.queued) {
                restoreInterest(k);
            }
        }
        return n;
    }

    private static void restoreInterest(UltKey k) {
        if (k.key.isValid()) {
            try {
                k.key.interestOps(k.interest);
            } catch (CancelledKeyException closedByAction) {
                // the action closed the channel
            }
        }
    }

    private void await(long nanos) {
        UltStrand me = carrier.mounted();
        long deadline = io.github.hilos.spi.Durations.deadline(nanos);
        waiter = me;
        try {
            while (ready.isEmpty() && !closed && !me.isInterrupted()) {
                if (consumeWakeup()) {
                    return;
                }
                if (nanos == Long.MAX_VALUE) {
                    Strand.park();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    Strand.parkNanos(left);
                }
            }
        } finally {
            waiter = null;
        }
    }

    /**
     * Takes a pending wake-up, if any. A wake-up is consumed only where a select looks at it (on entry, or in its
     * wait), never after the wait ended for another reason: one that lands after that is kept for the next select,
     * as the JDK's selectors keep a wake-up their poll did not see. Two wake-ups before a look count as one.
     */
    private boolean consumeWakeup() {
        if (woken) {
            woken = false;
            return true;
        }
        return false;
    }

    @Override
    public void wakeup() {
        woken = true;
        UltStrand w = waiter;
        if (w != null) {
            w.unpark();
        }
    }

    /** Closes the selector; any thread. A strand waiting in select wakes and gets {@link ClosedSelectorException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (UltKey k : keys) {
            k.key.cancel(); // thread-safe; the carrier's next poll (or a register) drops the registration
        }
        keys.clear();
        UltStrand w = waiter;
        if (w != null) {
            w.unpark();
        }
    }
}
