package io.github.hilos.ult.internal;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;

/**
 * The strands waiting on one socket, attached to its {@link SelectionKey} in the carrier's selector. One
 * inbound waiter (read or accept) and one outbound waiter (write or connect), as a socket has one reader and
 * one writer at a time. The carrier's poll marks the side ready and unparks its waiter; the waiter clears its
 * slot when it stops waiting. Everything is volatile: on an M:N runtime the waiter may run on another carrier
 * than the one that polls the socket, and {@link #wakeAll()} may come from a thread that closes it.
 */
final class PollState implements ReadyHandler {

    static final int INBOUND = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    static final int OUTBOUND = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    /** The carrier whose selector holds the key. */
    final Carrier owner;
    volatile UltStrand inbound;
    volatile UltStrand outbound;
    PollState(Carrier owner) {
        this.owner = owner;
    }

    /** Set by the owning carrier's poll, read by the waiter, which may run on another carrier: volatile. */
    volatile boolean inboundReady;
    volatile boolean outboundReady;

    /**
     * Carrier: the selector reported {@code key} ready. The reported operations leave the key's interest (so that
     * a ready socket nobody waits on does not make every poll return at once), except an inbound one whose waiter
     * is parked on this same carrier: that strand reads next, before this carrier polls again, and on a kept-alive
     * connection waits again soon, so its interest stays and a request-response exchange costs no
     * {@code epoll_ctl} (Netty keeps OP_READ the same way). A waiter on another carrier gets the old one-shot
     * interest, so that this carrier does not spin on a readiness only the other one will consume.
     *
     * <p>Ordering (every field volatile): the waiter writes {@code inbound}, then {@code inboundReady = false}, then
     * reads the interest; this method writes {@code inboundReady = true}, then reads {@code inbound} again to
     * unpark it. Either the waiter sees the flag, or this method sees the waiter; a waiter that registered after
     * the interest was cleared sets it again itself.
     */
    @Override
    public void onReady(SelectionKey key) {
        int ready;
        try {
            ready = key.readyOps();
            UltStrand in = inbound;
            boolean keep = in != null && in.carrier == owner;
            int clear = keep ? ready & ~INBOUND : ready;
            if (clear != 0) {
                key.interestOps(key.interestOps() & ~clear);
            }
        } catch (CancelledKeyException closed) {
            wakeAll();
            return;
        }
        if ((ready & INBOUND) != 0) {
            inboundReady = true;
            UltStrand w = inbound; // again: a waiter may have registered since the read above
            if (w != null) {
                w.unpark();
            }
        }
        if ((ready & OUTBOUND) != 0) {
            outboundReady = true;
            UltStrand w = outbound;
            if (w != null) {
                w.unpark();
            }
        }
    }

    /** Any thread: the socket closed; wake whoever waits so that it sees the close. */
    void wakeAll() {
        UltStrand in = inbound;
        UltStrand out = outbound;
        if (in != null) {
            in.unpark();
        }
        if (out != null) {
            out.unpark();
        }
    }
}
