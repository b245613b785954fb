package io.github.hilos.bench.jmh;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link StrandBenchmarks} again, in a fork whose JDK virtual-thread scheduler has one carrier: the fair peer of
 * {@code ult} (N:1). The JDK's scheduler parallelism is a JVM-wide setting, hence a suite of its own; run it with
 * {@code -p runtime=jdk-virtual} (other runtimes are unaffected by the setting).
 */
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
        "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class OneCarrierVirtualThreads extends StrandBenchmarks {
}
