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

    volatile UltStrand inbound;
    volatile UltStrand outbound;
    /** Set by the owning carrier's poll, read by the waiter, which may run on another carrier: volatile. */
    volatile boolean inboundReady;
    volatile boolean outboundReady;

    /** Carrier: the selector reported {@code key} ready. */
    @Override
    public void onReady(SelectionKey key) {
        int ready;
        try {
            ready = key.readyOps();
            key.interestOps(key.interestOps() & ~ready);
        } catch (CancelledKeyException closed) {
            wakeAll();
            return;
        }
        if ((ready & INBOUND) != 0) {
            inboundReady = true;
            UltStrand w = inbound;
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
