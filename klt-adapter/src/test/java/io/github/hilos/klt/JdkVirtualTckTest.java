package io.github.hilos.klt;

import io.github.hilos.tck.RuntimeTck;

/** The whole TCK on runtime {@code jdk-virtual}. */
class JdkVirtualTckTest implements RuntimeTck {

    @Override
    public String runtimeName() {
        return "jdk-virtual";
    }
}
