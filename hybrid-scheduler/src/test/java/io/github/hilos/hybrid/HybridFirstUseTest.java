package io.github.hilos.hybrid;

import io.github.hilos.ult.firstuse.FirstUseTest;

/** The first-use probe of ult-runtime on {@code hybrid}: its spares, compensator and placement included. */
class HybridFirstUseTest extends FirstUseTest {

    @Override
    protected String runtimeName() {
        return "hybrid";
    }
}
