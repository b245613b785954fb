/**
 * Runtime {@code sim} of Hilos: deterministic simulation testing of strand code. Strands run on JDK continuations
 * under a seeded scheduler, with virtual time, an in-memory network with faults, inline jacketed calls, schedule
 * exploration and replay by seed. Needs the same JVM flag as {@code ult}:
 * {@code --add-exports java.base/jdk.internal.vm=io.github.hilos.ult} (on the class path: {@code =ALL-UNNAMED}).
 */
module io.github.hilos.sim {
    requires transitive io.github.hilos.api;
    requires io.github.hilos.ult;
    requires static transitive org.junit.jupiter.api; // for @SimulationTest; the user's tests bring JUnit

    exports io.github.hilos.sim;

    provides io.github.hilos.spi.RuntimeProvider with io.github.hilos.sim.SimRuntimeProvider;
}
