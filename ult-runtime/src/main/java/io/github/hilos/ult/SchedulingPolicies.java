package io.github.hilos.ult;

import io.github.hilos.api.Strand;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/** The built-in {@link SchedulingPolicy}s. Each call returns a new instance, for one carrier. */
public final class SchedulingPolicies {

    /** The priority strands get unless spawned with another one. */
    public static final int DEFAULT_PRIORITY = 5;

    private SchedulingPolicies() {
    }

    /**
     * Runs strands in the order they became runnable: fair, and the default.
     *
     * @return a new FIFO policy
     */
    public static SchedulingPolicy fifo() {
        return new Fifo();
    }

    /**
     * Runs the strand that became runnable last: good locality for message passing (a receiver runs right after
     * the sender that woke it), but a strand that keeps waking others can starve older ones.
     *
     * @return a new LIFO policy
     */
    public static SchedulingPolicy lifo() {
        return new Lifo();
    }

    /**
     * Runs higher priorities first, FIFO within a priority, with aging so that nothing starves: a strand gains
     * one priority level for every {@code agingQuantum} strands that became runnable after it. A strand of
     * priority {@code p} therefore waits at most for the strands queued before it plus
     * {@code (maxPriority - p) * agingQuantum} newcomers.
     *
     * @param agingQuantum newcomers per level of aging; positive
     * @return a new priority policy
     */
    public static SchedulingPolicy priority(int agingQuantum) {
        if (agingQuantum <= 0) {
            throw new IllegalArgumentException("aging quantum must be positive: " + agingQuantum);
        }
        return new Priority(agingQuantum);
    }

    /**
     * Picks the next strand pseudo-randomly from {@code seed}: the same program, with the same seed and
     * strands driven only by each other on one carrier, runs the same interleaving every time. Run a test
     * under many seeds to explore interleavings; replay a failing seed to debug it.
     *
     * @param seed the seed
     * @return a new deterministic policy
     */
    public static DeterministicPolicy deterministic(long seed) {
        return new DeterministicPolicy(seed);
    }

    /**
     * Makes a policy from its name in the runtime setting {@code policy}: {@code fifo}, {@code lifo},
     * {@code priority} (aging quantum 32), {@code priority:Q}, or {@code deterministic:SEED}.
     *
     * @param spec the setting's value
     * @return a new policy
     * @throws IllegalArgumentException for anything else, listing what is accepted
     */
    public static SchedulingPolicy parse(String spec) {
        String s = spec.trim();
        try {
            if (s.equals("fifo")) {
                return fifo();
            }
            if (s.equals("lifo")) {
                return lifo();
            }
            if (s.equals("priority")) {
                return priority(32);
            }
            if (s.startsWith("priority:")) {
                return priority(Integer.parseInt(s.substring("priority:".length())));
            }
            if (s.startsWith("deterministic:")) {
                return deterministic(Long.parseLong(s.substring("deterministic:".length())));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in policy '" + spec + "'", e);
        }
        throw new IllegalArgumentException("unknown policy '" + spec
                + "'; known: fifo, lifo, priority, priority:AGING_QUANTUM, deterministic:SEED");
    }

    private static final class Fifo implements SchedulingPolicy {
        private final ArrayDeque<Strand> queue = new ArrayDeque<>();

        @Override
        public void add(Strand strand, int priority, Reason reason) {
            queue.addLast(strand);
        }

        @Override
        public Strand poll() {
            return queue.pollFirst();
        }

        @Override
        public int size() {
            return queue.size();
        }

        @Override
        public String describe() {
            return "fifo";
        }
    }

    private static final class Lifo implements SchedulingPolicy {
        private final ArrayDeque<Strand> stack = new ArrayDeque<>();

        @Override
        public void add(Strand strand, int priority, Reason reason) {
            if (reason == Reason.YIELDED) {
                stack.addFirst(strand); // a yield must let the others run, even under LIFO
            } else {
                stack.addLast(strand);
            }
        }

        @Override
        public Strand poll() {
            return stack.pollLast();
        }

        @Override
        public int size() {
            return stack.size();
        }

        @Override
        public String describe() {
            return "lifo";
        }
    }

    private static final class Priority implements SchedulingPolicy {
        private record Entry(Strand strand, long rank, long seq) {
        }

        private final long quantum;
        private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank
                ? Long.compare(a.rank, b.rank) : Long.compare(a.seq, b.seq));
        private long seq;

        Priority(int quantum) {
            this.quantum = quantum;
        }

        @Override
        public void add(Strand strand, int priority, Reason reason) {
            long s = seq++;
            // Lower rank runs first. Each newcomer raises the rank of later arrivals by one; a priority level
            // is worth `quantum` arrivals, which is the aging rule in the factory's documentation.
            queue.add(new Entry(strand, s - priority * quantum, s));
        }

        @Override
        public Strand poll() {
            Entry e = queue.poll();
            return e == null ? null : e.strand;
        }

        @Override
        public int size() {
            return queue.size();
        }

        @Override
        public String describe() {
            return "priority:" + quantum;
        }
    }

    /** The deterministic policy, which also records the order it ran strands in (their names). */
    public static final class DeterministicPolicy implements SchedulingPolicy {
        private final long seed;
        private final SplittableRandom random;
        private final ArrayList<Strand> runnable = new ArrayList<>();
        private final List<String> trace = new ArrayList<>();

        DeterministicPolicy(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void add(Strand strand, int priority, Reason reason) {
            runnable.add(strand);
        }

        @Override
        public Strand poll() {
            int n = runnable.size();
            if (n == 0) {
                return null;
            }
            int i = random.nextInt(n);
            Strand picked = runnable.get(i);
            runnable.set(i, runnable.get(n - 1));
            runnable.remove(n - 1);
            if (trace.size() < 1_000_000) {
                trace.add(picked.name());
            }
            return picked;
        }

        @Override
        public int size() {
            return runnable.size();
        }

        /**
         * Returns the names of the strands run, in order (at most a million). Carrier thread only, or after
         * the runtime closed.
         *
         * @return a copy of the trace
         */
        public List<String> trace() {
            return List.copyOf(trace);
        }

        /**
         * Returns the seed.
         *
         * @return the seed
         */
        public long seed() {
            return seed;
        }

        @Override
        public String describe() {
            return "deterministic:" + seed;
        }
    }
}
