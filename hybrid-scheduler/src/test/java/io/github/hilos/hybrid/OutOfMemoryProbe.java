package io.github.hilos.hybrid;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;
import io.github.hilos.ult.UltRuntime;
import io.github.hilos.api.Runtimes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a small-heap JVM by {@code HybridSeamsTest}: strands of a two-carrier runtime exhaust the heap (each keeps what
 * it allocates until the heap is full, then fails with {@link OutOfMemoryError}, which the runtime's default
 * handler tries to log), the memory is released, and the runtime must serve again and close. Prints
 * {@code SERVED} and {@code CLOSED} on success.
 */
public final class OutOfMemoryProbe {

    public static void main(String[] args) throws Exception {
        UltRuntime rt = (UltRuntime) Runtimes.open("hybrid", RuntimeOptions.defaults().with("carriers", "2")
                .with("compensation.threshold.ms", "20").with("watchdog.threshold.ms", "20"));
        List<Strand> hogs = new ArrayList<>();
        io.github.hilos.sync.CountDownLatch allSpawned = new io.github.hilos.sync.CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            hogs.add(rt.spawnThrowing("hog-" + i, () -> {
                allSpawned.await(); // this thread spawns them all before the heap fills
                List<long[]> hoard = new ArrayList<>(); // freed when the strand fails
                for (;;) {
                    hoard.add(new long[64 * 1024]);
                    if (hoard.size() % 8 == 0) {
                        Strand.yield();
                    }
                }
            }));
        }
        Strand[] toJoin = hogs.toArray(new Strand[0]);
        Duration wait = Duration.ofSeconds(60);
        allSpawned.countDown();
        // From here the heap fills: this thread may get an OutOfMemoryError too (joining allocates), so it takes
        // care to allocate nothing itself and tries again.
        int joined = 0;
        while (joined < toJoin.length) {
            try {
                if (!toJoin[joined].join(wait)) {
                    System.out.println("HUNG " + toJoin[joined]);
                    System.exit(2);
                }
                joined++;
            } catch (OutOfMemoryError fullHeap) {
                // the hogs still hold the heap: try again
            }
        }
        System.gc();
        int answer = rt.run(() -> {
            Strand.sleep(Duration.ofMillis(5));
            return 42;
        });
        System.out.println(answer == 42 ? "SERVED" : "WRONG " + answer);
        System.out.println(rt.close(Duration.ofSeconds(20)) ? "CLOSED" : "NOT CLOSED");
    }
}
