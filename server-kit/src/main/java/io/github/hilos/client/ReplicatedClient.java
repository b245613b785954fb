package io.github.hilos.client;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.Channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A client of a replicated service, with the chapter's transparencies. <em>Replication transparency</em>: the
 * caller names the service, not a replica; {@link #call} picks one (round-robin, random, or the less loaded of two
 * random ones), and {@link #callAll} sends to every replica and takes the first answer. <em>Failure
 * transparency</em>: a failed or timed-out attempt is retried on another replica after an exponential backoff with
 * jitter, within a {@link RetryBudget}; a request may be hedged (a second replica is tried when the first is slow,
 * the first answer wins); and when every attempt fails, the last good answer to the same request, if cached, is
 * returned marked stale.
 *
 * <p>Every attempt runs in its own strand of the client's runtime, so a hung replica costs a parked strand, not
 * the caller: the caller waits on a channel for the first outcome, and abandoned attempts are interrupted.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public final class ReplicatedClient<Q, R> {

    /** How a replica is chosen for an attempt. */
    public enum Choice {
        /** In turn. */
        ROUND_ROBIN,
        /** At random. */
        RANDOM,
        /** The one with fewer calls in flight of two picked at random (the power of two choices). */
        LEAST_OUTSTANDING
    }

    /**
     * An answer and how it was obtained.
     *
     * @param value the response
     * @param replica the replica that gave it ({@code "cache"} for a stale answer)
     * @param attempts the attempts made, hedges included
     * @param stale true when every replica failed and this is the cached last good answer
     * @param <R> the response type
     */
    public record Reply<R>(R value, String replica, int attempts, boolean stale) {
    }

    private final StrandRuntime runtime;
    private final List<Replica<Q, R>> replicas;
    private final AtomicInteger[] outstanding;
    private final Choice choice;
    private final int maxAttempts;
    private final Duration attemptTimeout;
    private final Duration hedgeAfter;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final RetryBudget budget;
    private final Function<Q, Object> cacheKey;
    /** The last good answers, at most {@link #CACHE_ENTRIES}, least recently used out first; guarded by itself. */
    private final Map<Object, R> cache = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, R> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    /** The fallback cache's size. */
    public static final int CACHE_ENTRIES = 10_000;
    private final AtomicInteger next = new AtomicInteger();

    private ReplicatedClient(Builder<Q, R> b) {
        this.runtime = b.runtime;
        this.replicas = List.copyOf(b.replicas);
        this.outstanding = new AtomicInteger[replicas.size()];
        for (int i = 0; i < outstanding.length; i++) {
            outstanding[i] = new AtomicInteger();
        }
        this.choice = b.choice;
        this.maxAttempts = b.maxAttempts;
        this.attemptTimeout = b.attemptTimeout;
        this.hedgeAfter = b.hedgeAfter;
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.budget = b.budget;
        this.cacheKey = b.cacheKey;
    }

    /**
     * Starts building a client.
     *
     * @param runtime where the attempts' strands run
     * @param replicas the replicas; at least one
     * @param <Q> the request type
     * @param <R> the response type
     * @return a builder with the defaults: round-robin, 3 attempts, 2 s per attempt, no hedging, backoff from
     *     10 ms to 1 s, {@link RetryBudget#defaults()}, no fallback cache
     */
    public static <Q, R> Builder<Q, R> builder(StrandRuntime runtime, List<Replica<Q, R>> replicas) {
        return new Builder<>(runtime, replicas);
    }

    /** Builds a {@link ReplicatedClient}. */
    public static final class Builder<Q, R> {
        private final StrandRuntime runtime;
        private final List<Replica<Q, R>> replicas;
        private Choice choice = Choice.ROUND_ROBIN;
        private int maxAttempts = 3;
        private Duration attemptTimeout = Duration.ofSeconds(2);
        private Duration hedgeAfter;
        private Duration backoffBase = Duration.ofMillis(10);
        private Duration backoffMax = Duration.ofSeconds(1);
        private RetryBudget budget = RetryBudget.defaults();
        private Function<Q, Object> cacheKey;

        private Builder(StrandRuntime runtime, List<Replica<Q, R>> replicas) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            this.replicas = List.copyOf(replicas);
            if (this.replicas.isEmpty()) {
                throw new IllegalArgumentException("a replicated client needs at least one replica");
            }
        }

        /**
         * Sets how replicas are chosen.
         *
         * @param c the choice
         * @return this builder
         */
        public Builder<Q, R> choice(Choice c) {
            this.choice = Objects.requireNonNull(c, "choice");
            return this;
        }

        /**
         * Sets the most attempts per call (the first one included).
         *
         * @param n attempts; positive
         * @return this builder
         */
        public Builder<Q, R> maxAttempts(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("attempts must be positive: " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /**
         * Sets how long one attempt may take before it counts as failed (and is interrupted).
         *
         * @param d the timeout; positive
         * @return this builder
         */
        public Builder<Q, R> attemptTimeout(Duration d) {
            this.attemptTimeout = positive(d, "attempt timeout");
            return this;
        }

        /**
         * Hedges: when an attempt has not answered after {@code d}, another replica is tried too; the first
         * answer wins.
         *
         * @param d the hedging delay; positive
         * @return this builder
         */
        public Builder<Q, R> hedgeAfter(Duration d) {
            this.hedgeAfter = positive(d, "hedging delay");
            return this;
        }

        /**
         * Sets the backoff between attempts: a cap of {@code base * 2^(attempt-1)}, at most {@code max}, and a pause
         * drawn uniformly from {@code [cap/2, cap]} ("equal jitter").
         *
         * @param base the first backoff; positive
         * @param max the cap
         * @return this builder
         */
        public Builder<Q, R> backoff(Duration base, Duration max) {
            this.backoffBase = positive(base, "backoff base");
            this.backoffMax = positive(max, "backoff cap");
            return this;
        }

        /**
         * Sets the retry budget.
         *
         * @param b the budget
         * @return this builder
         */
        public Builder<Q, R> retryBudget(RetryBudget b) {
            this.budget = Objects.requireNonNull(b, "retry budget");
            return this;
        }

        /**
         * Keeps the last good answer per {@code key(request)} and returns it, marked stale, when every attempt
         * fails.
         *
         * @param key the cache key of a request
         * @return this builder
         */
        public Builder<Q, R> fallbackToLastGood(Function<Q, Object> key) {
            this.cacheKey = Objects.requireNonNull(key, "cache key");
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         */
        public ReplicatedClient<Q, R> build() {
            return new ReplicatedClient<>(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }

    /** What an attempt's strand reports; {@code round} tells a late failure of an abandoned round. */
    private record Outcome<R>(int round, int replica, R value, Exception failure) {
    }

    /**
     * Calls one replica at a time, with retries, hedging and the fallback as configured.
     *
     * @param request the request
     * @return the reply
     * @throws ReplicasFailedException if every attempt failed and nothing was cached
     * @throws InterruptedException if interrupted (outstanding attempts are interrupted too)
     */
    public Reply<R> call(Q request) throws ReplicasFailedException, InterruptedException {
        budget.onRequest();
        Channel<Outcome<R>> outcomes = Channels.unbounded();
        List<Strand> running = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        boolean[] tried = new boolean[replicas.size()];
        boolean[] busy = new boolean[replicas.size()]; // replicas with an attempt of this round in flight
        int attempts = 0;
        int round = 0;
        try {
            while (attempts < maxAttempts) {
                if (attempts > 0) {
                    // An abandoned attempt may have answered meanwhile: take that before paying for a retry.
                    Reply<R> late = lateSuccess(request, outcomes, attempts);
                    if (late != null) {
                        return late;
                    }
                    if (!budget.tryRetry()) {
                        failures.add(new IllegalStateException("retry budget exhausted"));
                        break;
                    }
                    Strand.sleep(backoff(round));
                    late = lateSuccess(request, outcomes, attempts);
                    if (late != null) {
                        return late;
                    }
                }
                round++;
                java.util.Arrays.fill(busy, false);
                int first = choose(tried, busy);
                busy[first] = true;
                running.add(launch(round, first, request, outcomes));
                attempts++;
                int inFlight = 1;
                long deadline = Strand.nanoTime() + attemptTimeout.toNanos();
                boolean mayHedge = hedgeAfter != null && replicas.size() > 1;
                long hedgeAt = mayHedge ? Strand.nanoTime() + hedgeAfter.toNanos() : 0;
                while (inFlight > 0) {
                    long until = mayHedge && hedgeAt - deadline < 0 ? hedgeAt : deadline;
                    long wait = until - Strand.nanoTime();
                    // past the deadline, an outcome already delivered still counts: look without waiting
                    Outcome<R> o = wait <= 0 ? outcomes.tryReceive() : outcomes.receive(Duration.ofNanos(wait));
                    if (o == null) {
                        if (mayHedge && Strand.nanoTime() - deadline < 0) {
                            mayHedge = false;
                            // slow: a second replica, the first answer wins; a hedge is an attempt and is paid
                            // for by the retry budget, or hedging would double the load of a slow service. It
                            // goes to a replica with nothing of this round in flight, or not at all.
                            int hedge = attempts < maxAttempts ? choose(tried, busy) : -1;
                            if (hedge >= 0 && budget.tryRetry()) {
                                busy[hedge] = true;
                                running.add(launch(round, hedge, request, outcomes));
                                attempts++;
                                inFlight++;
                            }
                            continue;
                        }
                        failures.add(new TimeoutException("no answer within " + attemptTimeout));
                        break;
                    }
                    if (o.failure() == null) { // a success is taken whenever it comes, even from an old round
                        remember(request, o.value());
                        return new Reply<>(o.value(), replicas.get(o.replica()).name(), attempts, false);
                    }
                    if (o.round() != round) {
                        continue; // the failure of an abandoned round (interrupted): counted as its timeout
                    }
                    inFlight--;
                    failures.add(o.failure());
                }
                interruptAll(running); // abandoned: a late answer is not waited for
            }
        } finally {
            interruptAll(running);
        }
        return fallback(request, attempts, failures);
    }

    /**
     * Sends the request to every replica at once and returns the first answer (replication transparency); the
     * others are interrupted. Falls back to the cache when all fail.
     *
     * @param request the request
     * @return the first reply
     * @throws ReplicasFailedException if every replica failed (or timed out) and nothing was cached
     * @throws InterruptedException if interrupted
     */
    public Reply<R> callAll(Q request) throws ReplicasFailedException, InterruptedException {
        Channel<Outcome<R>> outcomes = Channels.unbounded();
        List<Strand> running = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        try {
            for (int i = 0; i < replicas.size(); i++) {
                running.add(launch(0, i, request, outcomes));
            }
            long deadline = Strand.nanoTime() + attemptTimeout.toNanos();
            for (int left = replicas.size(); left > 0; left--) {
                long wait = deadline - Strand.nanoTime();
                Outcome<R> o = wait <= 0 ? null : outcomes.receive(Duration.ofNanos(wait));
                if (o == null) {
                    failures.add(new TimeoutException("no answer within " + attemptTimeout));
                    break;
                }
                if (o.failure() == null) {
                    remember(request, o.value());
                    return new Reply<>(o.value(), replicas.get(o.replica()).name(), replicas.size(), false);
                }
                failures.add(o.failure());
            }
        } finally {
            interruptAll(running);
        }
        return fallback(request, replicas.size(), failures);
    }

    private void remember(Q request, R value) {
        if (cacheKey != null && value != null) {
            Object key = cacheKey.apply(request);
            if (key != null) {
                synchronized (cache) {
                    cache.put(key, value);
                }
            }
        }
    }

    private Reply<R> fallback(Q request, int attempts, List<Exception> failures) throws ReplicasFailedException {
        if (cacheKey != null) {
            Object key = cacheKey.apply(request);
            R cached;
            synchronized (cache) {
                cached = key == null ? null : cache.get(key);
            }
            if (cached != null) {
                return new Reply<>(cached, "cache", attempts, true);
            }
        }
        ReplicasFailedException e = new ReplicasFailedException(attempts + " attempt(s) on " + replicas.size()
                + " replica(s) failed");
        for (Exception f : failures) {
            e.addSuppressed(f);
        }
        throw e;
    }

    private Strand launch(int round, int replica, Q request, Channel<Outcome<R>> outcomes) {
        outstanding[replica].incrementAndGet();
        return runtime.spawn("replica-" + replicas.get(replica).name(), () -> {
            Outcome<R> o;
            try {
                o = new Outcome<>(round, replica, replicas.get(replica).call().call(request), null);
            } catch (Exception e) {
                o = new Outcome<>(round, replica, null, e);
            } catch (Error e) {
                o = new Outcome<>(round, replica, null, new IllegalStateException("the call failed with " + e, e));
            } finally {
                outstanding[replica].decrementAndGet();
            }
            outcomes.trySend(o); // unbounded: never refused; a late outcome is simply not read
        });
    }

    /** A success an abandoned attempt delivered meanwhile, as the call's reply; null if there is none. */
    private Reply<R> lateSuccess(Q request, Channel<Outcome<R>> outcomes, int attempts) {
        for (Outcome<R> o; (o = outcomes.tryReceive()) != null; ) {
            if (o.failure() == null) {
                remember(request, o.value());
                return new Reply<>(o.value(), replicas.get(o.replica()).name(), attempts, false);
            }
        }
        return null;
    }

    /**
     * Picks a replica this call has not tried yet (all again once every one has been, except those in
     * {@code busy}: a hedge never goes to the replica it hedges), by the client's choice, and marks it tried: a retry
     * never goes back to a replica that just failed while another is left.
     *
     * @return the replica, or -1 when every replica is busy
     */
    private int choose(boolean[] tried, boolean[] busy) {
        int n = replicas.size();
        int untried = 0;
        for (int i = 0; i < n; i++) {
            tried[i] |= busy[i];
            untried += tried[i] ? 0 : 1;
        }
        if (untried == 0) {
            System.arraycopy(busy, 0, tried, 0, n);
            for (boolean b : busy) {
                untried += b ? 0 : 1;
            }
            if (untried == 0) {
                return -1;
            }
        }
        int pick = switch (choice) {
            case ROUND_ROBIN -> {
                int i = Math.floorMod(next.getAndIncrement(), n);
                while (tried[i]) {
                    i = (i + 1) % n;
                }
                yield i;
            }
            case RANDOM -> nthUntried(tried, Strand.random().nextInt(untried));
            case LEAST_OUTSTANDING -> {
                int a = Strand.random().nextInt(untried);
                if (untried == 1) {
                    yield nthUntried(tried, a);
                }
                int b = Strand.random().nextInt(untried - 1);
                if (b >= a) {
                    b++;
                }
                int ra = nthUntried(tried, a);
                int rb = nthUntried(tried, b);
                yield outstanding[rb].get() < outstanding[ra].get() ? rb : ra;
            }
        };
        tried[pick] = true;
        return pick;
    }

    private static int nthUntried(boolean[] tried, int k) {
        for (int i = 0; i < tried.length; i++) {
            if (!tried[i] && k-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no untried replica");
    }

    /**
     * The pause before a retry: "equal jitter", a uniform draw from {@code [cap/2, cap]} where
     * {@code cap = min(max, base * 2^(retry-1))}, computed without overflow (the doubling saturates at the cap).
     * Half the cap is kept so that retries of many clients neither synchronize nor come back at once.
     */
    static Duration backoff(Duration base, Duration max, int retry) {
        long cap = max.toNanos();
        long grown = base.toNanos();
        for (int i = 1; i < retry && grown < cap; i++) {
            grown = grown > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : grown * 2;
        }
        cap = Math.max(1, Math.min(cap, grown));
        return Duration.ofNanos(Strand.random().nextLong(cap / 2, cap + 1));
    }

    private Duration backoff(int retry) {
        return backoff(backoffBase, backoffMax, retry);
    }

    private static void interruptAll(List<Strand> strands) {
        for (Strand s : strands) {
            s.interrupt();
        }
    }

    /**
     * Returns the calls in flight at each replica now.
     *
     * @return the counts, by replica name
     */
    public Map<String, Integer> outstanding() {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            out.put(replicas.get(i).name(), outstanding[i].get());
        }
        return out;
    }
}
