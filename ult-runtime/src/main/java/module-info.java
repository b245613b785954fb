/**
 * Runtime {@code ult} of Hilos: user-level threads on JDK continuations, scheduled by Hilos on one carrier
 * thread. Needs {@code --add-exports java.base/jdk.internal.vm=io.github.hilos.ult} (on the class path:
 * {@code =ALL-UNNAMED}).
 */
// "module": the qualified exports name hybrid-scheduler and simulation, which are compiled after this module.
@SuppressWarnings("module")
module io.github.hilos.ult {
    requires transitive io.github.hilos.api;
    requires org.jctools.core;
    requires java.management;
    requires jdk.jfr;

    exports io.github.hilos.ult;
    // The seam to the M:N scheduler: for hybrid-scheduler only, not public API.
    exports io.github.hilos.ult.seam to io.github.hilos.hybrid;
    // Continuations for the simulation runtime, behind a plain type: not public API.
    exports io.github.hilos.ult.internal.cont to io.github.hilos.sim;

    provides io.github.hilos.spi.RuntimeProvider with io.github.hilos.ult.UltRuntimeProvider;
}
