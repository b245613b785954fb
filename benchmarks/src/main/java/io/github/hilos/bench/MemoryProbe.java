package io.github.hilos.bench;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.CountDownLatch;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Measures the heap bytes of one parked strand: run in a fresh JVM per runtime by {@code hilos memory}. Parks N
 * strands on a latch, collects garbage, and divides the heap growth by N. Prints one line:
 * {@code <runtime> <strands> <bytes-per-strand>}.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args runtime name, number of strands
     * @throws Exception if the runtime fails
     */
    public static void main(String[] args) throws Exception {
        String runtime = args[0];
        int strands = Integer.parseInt(args[1]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (StrandRuntime rt = Runtimes.open(runtime)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch parked = new CountDownLatch(strands);
            rt.run(() -> 0); // the runtime's own threads and classes are loaded before the baseline
            long before = settledHeap(memory);
            for (int i = 0; i < strands; i++) {
                rt.spawn(() -> {
                    parked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            parked.await();
            long after = settledHeap(memory);
            System.out.printf(Locale.ROOT, "%s %d %.0f%n", runtime, strands, (after - before) / (double) strands);
            release.countDown();
        }
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // let a concurrent collector finish before reading
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
