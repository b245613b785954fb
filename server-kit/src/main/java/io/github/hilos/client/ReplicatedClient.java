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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
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
    private final Map<Object, R> cache = new ConcurrentHashMap<>();
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
         * Sets the backoff between attempts: {@code base * 2^(attempt-1)}, capped at {@code max}, with full jitter.
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

    /** What an attempt's strand reports. */
    private record Outcome<R>(int replica, R value, Exception failure) {
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
        int attempts = 0;
        try {
            while (attempts < maxAttempts) {
                if (attempts > 0) {
                    if (!budget.tryRetry()) {
                        failures.add(new IllegalStateException("retry budget exhausted"));
                        break;
                    }
                    Strand.sleep(backoff(attempts));
                }
                int first = choose(-1);
                running.add(launch(first, request, outcomes));
                attempts++;
                int inFlight = 1;
                long deadline = System.nanoTime() + attemptTimeout.toNanos();
                boolean hedged = hedgeAfter == null || replicas.size() < 2;
                while (inFlight > 0) {
                    long wait = deadline - System.nanoTime();
                    if (!hedged) {
                        wait = Math.min(wait, hedgeAfter.toNanos());
                    }
                    Outcome<R> o = wait <= 0 ? null : outcomes.receive(Duration.ofNanos(wait));
                    if (o == null) {
                        if (!hedged && System.nanoTime() - deadline < 0) {
                            hedged = true; // slow: try a second replica, the first answer wins
                            running.add(launch(choose(first), request, outcomes));
                            attempts++;
                            inFlight++;
                            continue;
                        }
                        failures.add(new TimeoutException("no answer within " + attemptTimeout));
                        break;
                    }
                    inFlight--;
                    if (o.failure() == null) {
                        if (cacheKey != null) {
                            cache.put(cacheKey.apply(request), o.value());
                        }
                        return new Reply<>(o.value(), replicas.get(o.replica()).name(), attempts, false);
                    }
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
                running.add(launch(i, request, outcomes));
            }
            long deadline = System.nanoTime() + attemptTimeout.toNanos();
            for (int left = replicas.size(); left > 0; left--) {
                long wait = deadline - System.nanoTime();
                Outcome<R> o = wait <= 0 ? null : outcomes.receive(Duration.ofNanos(wait));
                if (o == null) {
                    failures.add(new TimeoutException("no answer within " + attemptTimeout));
                    break;
                }
                if (o.failure() == null) {
                    if (cacheKey != null) {
                        cache.put(cacheKey.apply(request), o.value());
                    }
                    return new Reply<>(o.value(), replicas.get(o.replica()).name(), replicas.size(), false);
                }
                failures.add(o.failure());
            }
        } finally {
            interruptAll(running);
        }
        return fallback(request, replicas.size(), failures);
    }

    private Reply<R> fallback(Q request, int attempts, List<Exception> failures) throws ReplicasFailedException {
        if (cacheKey != null) {
            R cached = cache.get(cacheKey.apply(request));
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

    private Strand launch(int replica, Q request, Channel<Outcome<R>> outcomes) {
        outstanding[replica].incrementAndGet();
        return runtime.spawn("replica-" + replicas.get(replica).name(), () -> {
            Outcome<R> o;
            try {
                o = new Outcome<>(replica, replicas.get(replica).call().call(request), null);
            } catch (Exception e) {
                o = new Outcome<>(replica, null, e);
            } finally {
                outstanding[replica].decrementAndGet();
            }
            outcomes.trySend(o); // unbounded: never refused; a late outcome is simply not read
        });
    }

    /** Picks a replica, other than {@code avoid} when there is a choice. */
    private int choose(int avoid) {
        int n = replicas.size();
        if (n == 1) {
            return 0;
        }
        int pick = switch (choice) {
            case ROUND_ROBIN -> Math.floorMod(next.getAndIncrement(), n);
            case RANDOM -> ThreadLocalRandom.current().nextInt(n);
            case LEAST_OUTSTANDING -> {
                int a = ThreadLocalRandom.current().nextInt(n);
                int b = ThreadLocalRandom.current().nextInt(n - 1);
                if (b >= a) {
                    b++;
                }
                yield outstanding[b].get() < outstanding[a].get() ? b : a;
            }
        };
        return pick == avoid ? (pick + 1) % n : pick;
    }

    private Duration backoff(int retry) {
        long cap = Math.min(backoffMax.toNanos(), backoffBase.toNanos() << Math.min(retry - 1, 30));
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1)); // jitter in [cap/2, cap]
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
