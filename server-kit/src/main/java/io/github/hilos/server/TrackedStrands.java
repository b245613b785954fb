package io.github.hilos.server;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The strands a server started and has not seen end: what its shutdown waits for. A strand leaves the set when it
 * ends, so a server that served a million connections holds none of them. Thread-safe.
 */
final class TrackedStrands {

    private final Set<Strand> strands = ConcurrentHashMap.newKeySet();

    /**
     * Starts a strand of {@code runtime} and tracks it until it ends.
     *
     * @param runtime the runtime
     * @param name the strand's name
     * @param task what it does
     * @return the strand
     */
    Strand spawn(StrandRuntime runtime, String name, Runnable task) {
        AtomicBoolean ended = new AtomicBoolean();
        Strand s = runtime.spawn(name, () -> {
            try {
                task.run();
            } finally {
                ended.set(true); // before the remove: the spawner, after its add, checks this
                strands.remove(Strand.current());
            }
        });
        strands.add(s);
        if (ended.get()) {
            strands.remove(s); // it ended around the add: whichever remove came last, the set does not keep it
        }
        return s;
    }

    /**
     * Returns the strands tracked now.
     *
     * @return a snapshot
     */
    List<Strand> snapshot() {
        return List.copyOf(strands);
    }

    /**
     * Returns how many strands are tracked now.
     *
     * @return the count
     */
    int size() {
        return strands.size();
    }
}
