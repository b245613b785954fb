package io.github.hilos.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times a batch operation repeatedly: warm-up for a while, then samples until both a minimum count and a time
 * budget are reached (or a hard cap). Each sample is the time of one batch divided by its size.
 */
final class Measure {

    /** A batch of {@code size} operations; returns after all of them. */
    @FunctionalInterface
    interface Batch {
        void run(int size) throws Exception;
    }

    private Measure() {
    }

    static Samples sample(Batch batch, int batchSize, long warmupNanos, long measureNanos, int minSamples,
                          int maxSamples) throws Exception {
        long warmEnd = System.nanoTime() + warmupNanos;
        do {
            batch.run(batchSize);
        } while (System.nanoTime() - warmEnd < 0);
        List<Double> samples = new ArrayList<>();
        long measureEnd = System.nanoTime() + measureNanos;
        while (samples.size() < maxSamples && (samples.size() < minSamples || System.nanoTime() - measureEnd < 0)) {
            long t0 = System.nanoTime();
            batch.run(batchSize);
            samples.add((System.nanoTime() - t0) / (double) batchSize);
        }
        return new Samples(samples.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
