package io.github.hilos.stress;

import io.github.hilos.sync.Channel;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.LL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Channels and select: no loss, no duplication, and a send always reaches a waiting receiver. */
public final class ChannelStress {

    private ChannelStress() {
    }

    /** One buffered value, two receivers: exactly one gets it. */
    @JCStressTest
    @Outcome(id = {"1, null", "null, 1"}, expect = ACCEPTABLE, desc = "exactly one receiver got the value")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "the value was delivered twice")
    @Outcome(id = "null, null", expect = FORBIDDEN, desc = "the value was lost")
    @State
    public static class OneValueTwoReceivers {
        private final Channel<Integer> channel = Channels.bounded(1);

        /** Fills the channel before the actors run. */
        public OneValueTwoReceivers() {
            channel.trySend(1);
        }

        /**
         * First receiver.
         *
         * @param r the result
         */
        @Actor
        public void actor1(LL_Result r) {
            r.r1 = channel.tryReceive();
        }

        /**
         * Second receiver.
         *
         * @param r the result
         */
        @Actor
        public void actor2(LL_Result r) {
            r.r2 = channel.tryReceive();
        }
    }

    /** Two senders into a buffer of one, then a drain: each value is there once, or its send said no. */
    @JCStressTest
    @Outcome(id = {"1, 0, 1", "0, 1, 2"}, expect = ACCEPTABLE, desc = "one send fit, the other was refused")
    @Outcome(expect = FORBIDDEN, desc = "a value was lost, duplicated, or both sends fit one slot")
    @State
    public static class TwoSendersOneSlot {
        private final Channel<Integer> channel = Channels.bounded(1);
        private int sent1;
        private int sent2;

        /** Offers 1. */
        @Actor
        public void actor1() {
            sent1 = channel.trySend(1) ? 1 : 0;
        }

        /** Offers 2. */
        @Actor
        public void actor2() {
            sent2 = channel.trySend(2) ? 1 : 0;
        }

        /**
         * Drains the channel.
         *
         * @param r which sends succeeded, and the value found
         */
        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = sent1;
            r.r2 = sent2;
            Integer v = channel.tryReceive();
            r.r3 = v == null ? -1 : v;
            if (channel.tryReceive() != null) {
                r.r3 = 99;
            }
        }
    }

    /** A rendezvous send meets a receiver that is (or is about to be) parked. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the receiver got the value")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the receiver missed the send: lost wake-up")
    @State
    public static class SendWakesReceiver {
        private final Channel<String> channel = Channels.rendezvous();

        /**
         * Receives.
         *
         * @throws InterruptedException if jcstress interrupts a stuck actor
         */
        @Actor
        public void actor() throws InterruptedException {
            channel.receive();
        }

        /** Sends, waiting for the receiver. */
        @Signal
        public void signal() {
            try {
                channel.send("value");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A select over two channels wakes when either gets a value. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the select took the value")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the select missed the send: lost wake-up")
    @State
    public static class SendWakesSelect {
        private final Channel<String> a = Channels.rendezvous();
        private final Channel<String> b = Channels.bounded(1);

        /**
         * Selects over both.
         *
         * @throws InterruptedException if jcstress interrupts a stuck actor
         */
        @Actor
        public void actor() throws InterruptedException {
            new Select().onReceive(a, v -> { }).onReceive(b, v -> { }).await();
        }

        /** Sends on the buffered one. */
        @Signal
        public void signal() {
            b.trySend("value");
        }
    }
}
