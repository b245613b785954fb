package io.github.hilos.sync;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Waits on several channel operations and performs exactly one of them, as Go's {@code select}:
 * <pre>{@code
 * int fired = new Select()
 *         .onReceive(requests, request -> handle(request))
 *         .onSend(results, nextResult, () -> advance())
 *         .await(Duration.ofSeconds(1));   // -1 on timeout
 * }</pre>
 *
 * <p>When several cases are ready, one is chosen uniformly at random (the cases are tried in a fresh random
 * order each time), so no channel starves another. A receive
 * case whose channel is closed and drained is skipped; if every case is a skipped receive, the select throws
 * {@link ChannelClosedException}. A send case on a closed channel throws it at once. Actions run on the
 * selecting strand, after the operation.
 *
 * <p>Design: a fast pass tries the cases, in random order, each under its own channel's lock. If none is
 * ready, a second pass takes the locks of every channel at once (in channel-id order, the one global lock order,
 * so two selects cannot deadlock), tries again, and, if still nothing is ready, queues one {@link Waiter} per
 * case, all sharing one {@link SelectGroup}, before releasing the locks: while the locks are held no peer can
 * serve a waiter, and once they are released the group's single CAS lets exactly one peer serve the select.
 * The losing waiters are unlinked afterwards.
 *
 * <p>A {@code Select} is built and used by one strand; it can be awaited again.
 */
public final class Select {

    private record Case(BufferedChannel<Object> channel, boolean send, Object item, Consumer<Object> onReceive,
                        Runnable onSent) {
    }

    private final List<Case> cases = new ArrayList<>();

    /** Makes a select with no cases. */
    public Select() {
    }

    /**
     * Adds a receive case.
     *
     * @param channel the channel to receive from
     * @param action what to do with the received value
     * @param <T> the value type
     * @return this select
     */
    @SuppressWarnings("unchecked")
    public <T> Select onReceive(Channel<T> channel, Consumer<? super T> action) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(action, "action");
        cases.add(new Case((BufferedChannel<Object>) channel, false, null, (Consumer<Object>) action, null));
        return this;
    }

    /**
     * Adds a send case.
     *
     * @param channel the channel to send on
     * @param value the value to send, not null
     * @param action what to do once it was sent
     * @param <T> the value type
     * @return this select
     */
    @SuppressWarnings("unchecked")
    public <T> Select onSend(Channel<T> channel, T value, Runnable action) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(value, "channel values must not be null");
        Objects.requireNonNull(action, "action");
        cases.add(new Case((BufferedChannel<Object>) channel, true, value, null, action));
        return this;
    }

    /**
     * Performs one ready case, waiting until one is.
     *
     * @return the index of the case performed, in the order cases were added
     * @throws ChannelClosedException if every case is a receive on a closed, drained channel, or a send case's
     *     channel is closed
     * @throws InterruptedException if interrupted while waiting (no case was performed)
     */
    public int await() throws InterruptedException {
        return select(Long.MAX_VALUE);
    }

    /**
     * Performs one ready case, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait; must not be negative
     * @return the index of the case performed, or -1 on timeout
     * @throws ChannelClosedException as for {@link #await()}
     * @throws InterruptedException if interrupted while waiting (no case was performed)
     */
    public int await(Duration timeout) throws InterruptedException {
        return select(Durations.toNanos(timeout, "select timeout"));
    }

    /**
     * Performs one case that is ready now, if any: the {@code default} branch of Go's select.
     *
     * @return the index of the case performed, or -1 if none was ready
     * @throws ChannelClosedException as for {@link #await()}
     */
    public int poll() {
        try {
            return select(0);
        } catch (InterruptedException e) {
            throw new AssertionError("a select that does not wait cannot be interrupted", e);
        }
    }

    private int select(long nanos) throws InterruptedException {
        int n = cases.size();
        if (n == 0) {
            throw new IllegalStateException("select has no cases");
        }
        if (nanos != 0 && Strand.interrupted()) {
            throw new InterruptedException("interrupted before select");
        }
        boolean[] skipped = new boolean[n];
        boolean timed = nanos != Long.MAX_VALUE;
        long deadline = timed ? Durations.deadline(nanos) : 0L;
        int[] order = new int[n];
        for (;;) {
            shuffle(order);
            // Fast pass: one lock at a time.
            for (int i : order) {
                if (skipped[i]) {
                    continue;
                }
                Case c = cases.get(i);
                Object result;
                c.channel.lock.lock();
                try {
                    result = attemptLocked(c);
                } finally {
                    c.channel.lock.unlock();
                }
                if (complete(i, c, result, skipped)) {
                    return i;
                }
            }
            checkNotAllSkipped(skipped);
            long left = timed ? deadline - Strand.nanoTime() : Long.MAX_VALUE;
            if (left <= 0) {
                return -1;
            }
            // Slow pass: all locks, try again, else queue a waiter per case before letting go.
            List<BufferedChannel<Object>> channels = channelsInLockOrder(skipped);
            Strand me = Strand.current();
            SelectGroup group = new SelectGroup();
            Waiter[] waiters = new Waiter[n];
            for (int i = 0; i < n; i++) {
                if (!skipped[i]) {
                    waiters[i] = new Waiter(me, group, i);
                    waiters[i].item = cases.get(i).item;
                }
            }
            int readyIndex = -1;
            Object readyResult = null;
            int locked = 0;
            try {
                for (; locked < channels.size(); locked++) {
                    channels.get(locked).lock.lock();
                }
                for (int i : order) {
                    if (skipped[i]) {
                        continue;
                    }
                    Object result = attemptLocked(cases.get(i));
                    if (result != BufferedChannel.EMPTY) {
                        readyIndex = i;
                        readyResult = result;
                        break;
                    }
                }
                if (readyIndex < 0) {
                    for (int i = 0; i < n; i++) {
                        if (waiters[i] == null) {
                            continue;
                        }
                        if (cases.get(i).send) {
                            cases.get(i).channel.addSenderLocked(waiters[i]);
                        } else {
                            cases.get(i).channel.addReceiverLocked(waiters[i]);
                        }
                    }
                }
            } finally {
                while (locked > 0) {
                    channels.get(--locked).lock.unlock();
                }
            }
            if (readyIndex >= 0) {
                if (complete(readyIndex, cases.get(readyIndex), readyResult, skipped)) {
                    return readyIndex;
                }
                continue;
            }
            Waiter any = firstNonNull(waiters);
            int outcome = any.await(left, true, this);
            for (int i = 0; i < n; i++) {
                if (waiters[i] != null) {
                    cases.get(i).channel.removeWaiter(waiters[i]);
                }
            }
            if (outcome == Waiter.INTERRUPTED) {
                throw new InterruptedException("interrupted while waiting in select");
            }
            if (outcome == Waiter.TIMED_OUT) {
                return -1;
            }
            Waiter winner = group.winner();
            int i = winner.caseIndex;
            Case c = cases.get(i);
            Object result = c.send ? (winner.item == BufferedChannel.CLOSED ? BufferedChannel.CLOSED : null) : winner.item;
            if (complete(i, c, result, skipped)) {
                return i;
            }
        }
    }

    /** Tries case {@code c} without waiting, its channel's lock held: a value, null (sent), EMPTY or CLOSED. */
    private static Object attemptLocked(Case c) {
        if (!c.send) {
            return c.channel.pollLocked();
        }
        return switch (c.channel.offerLocked(c.item)) {
            case BufferedChannel.SENT -> null;
            case BufferedChannel.FULL -> BufferedChannel.EMPTY;
            default -> BufferedChannel.CLOSED;
        };
    }

    /** Runs the action of a case that was performed; returns false if the case turned out closed (skip it). */
    private static boolean complete(int i, Case c, Object result, boolean[] skipped) {
        if (result == BufferedChannel.EMPTY) {
            return false;
        }
        if (result == BufferedChannel.CLOSED) {
            if (c.send) {
                throw c.channel.closedForSend();
            }
            skipped[i] = true;
            return false;
        }
        if (c.send) {
            c.onSent.run();
        } else {
            c.onReceive.accept(result);
        }
        return true;
    }

    private static void checkNotAllSkipped(boolean[] skipped) {
        for (boolean s : skipped) {
            if (!s) {
                return;
            }
        }
        throw new ChannelClosedException("every channel of this select is closed and drained");
    }

    /** The distinct channels of the cases not skipped, in the global lock order (ascending id). */
    private List<BufferedChannel<Object>> channelsInLockOrder(boolean[] skipped) {
        List<BufferedChannel<Object>> channels = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            BufferedChannel<Object> ch = cases.get(i).channel;
            if (!skipped[i] && !channels.contains(ch)) {
                channels.add(ch);
            }
        }
        channels.sort(Comparator.comparingLong(ch -> ch.id));
        return channels;
    }

    /** A uniformly random permutation of the case indexes (Fisher-Yates), so every ready case is equally likely. */
    private static void shuffle(int[] order) {
        RandomGenerator random = Strand.random();
        for (int i = 0; i < order.length; i++) {
            int j = random.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
    }

    private static Waiter firstNonNull(Waiter[] waiters) {
        for (Waiter w : waiters) {
            if (w != null) {
                return w;
            }
        }
        throw new AssertionError("a blocking select queued no waiter");
    }
}
