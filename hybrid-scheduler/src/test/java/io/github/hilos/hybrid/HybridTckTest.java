package io.github.hilos.hybrid;

import io.github.hilos.tck.RuntimeTck;

/** The whole TCK on runtime {@code hybrid} (as many carriers as processors). */
class HybridTckTest implements RuntimeTck {

    @Override
    public String runtimeName() {
        return "hybrid";
    }
}
