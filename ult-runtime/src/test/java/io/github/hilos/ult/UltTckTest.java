package io.github.hilos.ult;

import io.github.hilos.tck.RuntimeTck;

/** The whole TCK on runtime {@code ult}. */
class UltTckTest implements RuntimeTck {

    @Override
    public String runtimeName() {
        return "ult";
    }
}
