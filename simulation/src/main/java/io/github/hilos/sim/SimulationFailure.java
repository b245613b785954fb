package io.github.hilos.sim;

import java.io.Serial;
import java.util.List;

/**
 * A simulation found a failure: an exception that escaped a strand (or the body), a deadlock, a pinned park, a leak
 * when leaks fail, or a limit reached. It carries the seed that replays it and the schedule that led to it; its
 * message says how to replay it and ends with the last steps of the schedule.
 */
public final class SimulationFailure extends AssertionError {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final int LINES_IN_MESSAGE = 40;

    private final long seed;
    private final transient List<String> trace;

    SimulationFailure(long seed, String summary, List<String> trace, Throwable cause) {
        super(message(seed, summary, trace), cause);
        this.seed = seed;
        this.trace = List.copyOf(trace);
    }

    private static String message(long seed, String summary, List<String> trace) {
        StringBuilder b = new StringBuilder("simulation failed with seed ").append(seed).append(": ").append(summary)
                .append("\nreplay it with -Dhilos.sim.seed=").append(seed).append(" (or Simulation.run(").append(seed)
                .append("L, body)); the whole schedule is in trace()");
        int from = Math.max(0, trace.size() - LINES_IN_MESSAGE);
        b.append("\nlast ").append(trace.size() - from).append(" of ").append(trace.size()).append(" steps:");
        for (int i = from; i < trace.size(); i++) {
            b.append("\n  ").append(trace.get(i));
        }
        return b.toString();
    }

    /**
     * Returns the seed that replays this failure.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the schedule that led to the failure, as lines: which strand ran, what it waited on and what woke it,
     * with virtual times.
     *
     * @return the trace
     */
    public List<String> trace() {
        return trace;
    }
}
