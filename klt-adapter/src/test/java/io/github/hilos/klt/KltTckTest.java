package io.github.hilos.klt;

import io.github.hilos.tck.RuntimeTck;

/** The whole TCK on runtime {@code klt}. */
class KltTckTest implements RuntimeTck {

    @Override
    public String runtimeName() {
        return "klt";
    }
}
