package io.github.hilos.bench.jmh;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One runtime per trial, chosen by the {@code runtime} parameter; every suite is parameterized over all four. */
@State(Scope.Benchmark)
public class RuntimeState {

    /** The runtime under measurement. */
    @Param({"ult", "hybrid", "jdk-virtual", "klt"})
    public String runtime;

    /** The open runtime. */
    public StrandRuntime rt;

    /** Opens the runtime. */
    @Setup(Level.Trial)
    public void open() {
        rt = Runtimes.open(runtime);
    }

    /** Closes it. */
    @TearDown(Level.Trial)
    public void close() {
        rt.close();
    }
}
