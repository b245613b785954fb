package io.github.hilos.bench;

import java.util.Arrays;

/**
 * A set of measurements of one operation, each already divided by the operations it timed (nanoseconds per
 * operation); reports median, min, max.
 *
 * @param perOpNanos the samples
 */
record Samples(double[] perOpNanos) {

    Samples {
        perOpNanos = perOpNanos.clone();
        Arrays.sort(perOpNanos);
    }

    double median() {
        int n = perOpNanos.length;
        return n % 2 == 1 ? perOpNanos[n / 2] : (perOpNanos[n / 2 - 1] + perOpNanos[n / 2]) / 2;
    }

    double min() {
        return perOpNanos[0];
    }

    double max() {
        return perOpNanos[perOpNanos.length - 1];
    }

    int count() {
        return perOpNanos.length;
    }
}
