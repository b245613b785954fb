/**
 * Runtime {@code ult} of Hilos: user-level threads on JDK continuations, scheduled by Hilos on one carrier
 * thread. Needs {@code --add-exports java.base/jdk.internal.vm=io.github.hilos.ult} (on the class path:
 * {@code =ALL-UNNAMED}).
 */
module io.github.hilos.ult {
    requires transitive io.github.hilos.api;
    requires org.jctools.core;
    requires java.management;
    requires jdk.jfr;

    exports io.github.hilos.ult;

    provides io.github.hilos.spi.RuntimeProvider with io.github.hilos.ult.UltRuntimeProvider;
}
