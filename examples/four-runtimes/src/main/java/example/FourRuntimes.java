package example;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandFuture;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.api.StrandScope;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.Channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The same code on every runtime: a producer, a consumer iterating a channel, a scope, futures. */
public final class FourRuntimes {

    public static void main(String[] args) throws Exception {
        for (String name : List.of("klt", "jdk-virtual", "ult", "hybrid")) {
            try (StrandRuntime rt = Runtimes.open(name)) {
                Channel<Integer> squares = Channels.bounded(16);
                rt.spawnThrowing("producer", () -> {
                    try {
                        for (int i = 1; i <= 10; i++) {
                            squares.send(i * i);
                        }
                    } finally {
                        squares.close();
                    }
                });
                int sum = rt.run(() -> {
                    int total = 0;
                    for (int x : squares) {
                        total += x;
                    }
                    return total;
                });
                int fromScope = rt.run(() -> {
                    try (StrandScope scope = StrandScope.open()) {
                        List<StrandScope.Subtask<Integer>> parts = new ArrayList<>();
                        for (int i = 1; i <= 4; i++) {
                            int n = i;
                            parts.add(scope.fork(() -> {
                                Strand.sleep(Duration.ofMillis(n));
                                return n * 10;
                            }));
                        }
                        scope.join();
                        return parts.stream().mapToInt(StrandScope.Subtask::get).sum();
                    }
                });
                StrandFuture<String> greeting = rt.submit(() -> "hello from " + Strand.current().runtime().name());
                System.out.printf("%-12s sum of squares %d, scope %d, %s%n", name, sum, fromScope, greeting.join());
                if (sum != 385 || fromScope != 100) {
                    throw new AssertionError(name + ": wrong answers " + sum + ", " + fromScope);
                }
            }
        }
    }
}
