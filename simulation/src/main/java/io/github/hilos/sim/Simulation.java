package io.github.hilos.sim;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Deterministic simulation of strand code: {@link #run(long, SimulationBody)} runs a body as the first strand of a
 * fresh {@code sim} runtime under one seed; {@link #explore(int, SimulationBody)} runs it under many seeds and stops
 * at the first failing one. A failure is a {@link SimulationFailure} with its seed and schedule.
 *
 * <pre>{@code
 * Simulation.explore(1000, runtime -> {
 *     Mutex lock = new Mutex();
 *     int[] count = {0};
 *     Strand a = runtime.spawn(() -> { lock.lock(); try { count[0]++; } finally { lock.unlock(); } });
 *     Strand b = runtime.spawn(() -> { lock.lock(); try { count[0]++; } finally { lock.unlock(); } });
 *     a.join();
 *     b.join();
 *     assertEquals(2, count[0]);
 *     return null;
 * });
 * }</pre>
 *
 * Settings other than the defaults go through {@link #settings()}: {@code Simulation.settings().pct(3).explore(...)}.
 */
public final class Simulation {

    /** The system property that fixes the seed: the first schedule {@link #explore} runs, to replay a failure. */
    public static final String SEED_PROPERTY = "hilos.sim.seed";

    private Simulation() {
    }

    /**
     * Runs {@code body} under one seed with the default settings.
     *
     * @param seed the seed of the schedule, latencies, faults and {@link Strand#random()}
     * @param body the code
     * @param <T> its result type
     * @return what the body returned
     * @throws SimulationFailure if a strand failed, the simulation deadlocked, or a limit was reached
     */
    public static <T> T run(long seed, SimulationBody<T> body) {
        return settings().run(seed, body);
    }

    /**
     * Runs {@code body} under {@code schedules} seeds with the default settings.
     *
     * @param schedules how many schedules; positive
     * @param body the code
     * @throws SimulationFailure at the first failing schedule
     */
    public static void explore(int schedules, SimulationBody<?> body) {
        settings().explore(schedules, body);
    }

    /**
     * Returns the default settings, to change before a run: strategy random, no extra switch points, jacketed calls
     * instantaneous, latency 50 to 500 µs, no random faults, leaks ignored.
     *
     * @return the defaults
     */
    public static Settings settings() {
        return new Settings(RuntimeOptions.defaults());
    }

    /** Settings of simulations: immutable; each method returns a changed copy. */
    public static final class Settings {

        private final RuntimeOptions options;

        private Settings(RuntimeOptions options) {
            this.options = options;
        }

        /**
         * Sets a setting of runtime {@code sim} by name (the names are those of {@code Runtimes.open("sim", ...)}).
         *
         * @param name the setting
         * @param value its value
         * @return the changed settings
         * @throws IllegalArgumentException for an unknown name or a bad value
         */
        public Settings with(String name, String value) {
            if (!SimSettings.NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown setting '" + name + "' of runtime 'sim'; its settings: "
                        + new java.util.TreeSet<>(SimSettings.NAMES));
            }
            Settings changed = new Settings(options.with(name, value));
            SimSettings.of(changed.options); // fails now on a bad value, not at the run
            return changed;
        }

        /**
         * Explores with PCT (probabilistic concurrency testing) instead of uniform random choice: random priorities
         * and {@code depth - 1} priority change points among the first {@code steps} scheduling decisions. It finds
         * a bug that needs {@code depth} ordering constraints with probability at least 1/(n * steps^(depth-1)) per
         * schedule, for n strands.
         *
         * @param depth the bug depth looked for; positive
         * @param steps about how many scheduling decisions a run makes; positive
         * @return the changed settings
         */
        public Settings pct(int depth, int steps) {
            return with("strategy", "pct").with("pct.depth", Integer.toString(depth))
                    .with("pct.steps", Integer.toString(steps));
        }

        /**
         * Adds switch points inside Hilos' synchronization primitives (after an unlock or a release, before a
         * lock, an acquire, a send, a receive, a count-down), where a strand may be preempted: more interleavings,
         * more steps.
         *
         * @return the changed settings
         */
        public Settings switchPoints() {
            return with("switch.points", "true");
        }

        /**
         * Fails a run whose body returned while strands it spawned are still alive.
         *
         * @return the changed settings
         */
        public Settings failOnLeaks() {
            return with("leaks", "fail");
        }

        /**
         * Sets the virtual duration of each {@code Jacket.call}, which runs inline.
         *
         * @param duration the duration
         * @return the changed settings
         */
        public Settings jacketDuration(Duration duration) {
            return with("jacket.us", Long.toString(duration.toNanos() / 1000));
        }

        /**
         * Sets the network's one-way latency range.
         *
         * @param min the shortest
         * @param max the longest
         * @return the changed settings
         */
        public Settings latency(Duration min, Duration max) {
            return with("latency.min.us", Long.toString(min.toNanos() / 1000))
                    .with("latency.max.us", Long.toString(max.toNanos() / 1000));
        }

        /**
         * Sets the probability of a random network fault at each connection attempt and segment.
         *
         * @param probability from 0 to 1
         * @return the changed settings
         */
        public Settings randomFaults(double probability) {
            return with("faults", Double.toString(probability));
        }

        /**
         * Runs {@code body} as the first strand of a fresh {@code sim} runtime with {@code seed}, until it returns.
         * Strands still alive then are dropped (their {@code finally} blocks do not run), unless leaks fail.
         *
         * @param seed the seed
         * @param body the code
         * @param <T> its result type
         * @return what the body returned
         * @throws SimulationFailure if a strand or the body threw, the simulation deadlocked, a strand parked while
         *     pinned, a limit was reached, or (when asked) strands leaked
         */
        public <T> T run(long seed, SimulationBody<T> body) {
            Objects.requireNonNull(body, "body");
            SimRuntimeProvider.requireContinuations();
            SimRuntime runtime = new SimRuntime(options.with("seed", Long.toString(seed)), false);
            World world = runtime.world;
            Object[] result = new Object[1];
            SimCarrier.runToEnd(world, () -> world.body = (SimStrand) runtime.spawn("main", () -> {
                try {
                    result[0] = body.run(runtime);
                } catch (Throwable t) {
                    world.fail("the body threw " + t, t);
                }
            }));
            if (world.failure != null) {
                throw new SimulationFailure(seed, world.failureSummary, world.trace.lines(), world.failure);
            }
            @SuppressWarnings("unchecked")
            T value = (T) result[0];
            return value;
        }

        /**
         * Runs {@code body} under {@code schedules} consecutive seeds from a base seed: the system property
         * {@value #SEED_PROPERTY} when set (so a failure's seed, given there, is replayed first), else a random one,
         * printed. Stops at the first failure.
         *
         * @param schedules how many schedules; positive
         * @param body the code
         * @throws SimulationFailure at the first failing schedule, with its seed
         */
        public void explore(int schedules, SimulationBody<?> body) {
            if (schedules <= 0) {
                throw new IllegalArgumentException("schedules must be positive: " + schedules);
            }
            Long fixed = Long.getLong(SEED_PROPERTY);
            long base;
            if (fixed != null) {
                base = fixed;
            } else {
                base = ThreadLocalRandom.current().nextLong() >>> 1;
                System.out.println("simulation: " + schedules + " schedules from seed " + base + " (-D"
                        + SEED_PROPERTY + "=" + base + " repeats them)");
            }
            for (int i = 0; i < schedules; i++) {
                run(base + i, body);
            }
        }
    }
}
