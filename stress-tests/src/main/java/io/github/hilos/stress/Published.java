package io.github.hilos.stress;

import io.github.hilos.api.Strand;

import java.util.function.Supplier;

/** The signal side of the termination tests: wait, spinning, until the actor has published its strand. */
final class Published {

    private Published() {
    }

    static Strand await(Supplier<Strand> field) {
        Strand s;
        while ((s = field.get()) == null) {
            Thread.onSpinWait();
        }
        return s;
    }
}
