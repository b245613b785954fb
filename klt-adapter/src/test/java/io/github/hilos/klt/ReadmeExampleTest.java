package io.github.hilos.klt;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.ChannelClosedException;
import io.github.hilos.sync.Channels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's example, as written there, on both runtimes of this module. */
class ReadmeExampleTest {

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual"})
    void theReadmeExampleSumsTheSquares(String runtime) throws Exception {
        int printed;
        try (StrandRuntime rt = Runtimes.open(runtime)) {
            Channel<Integer> squares = Channels.bounded(16);
            rt.spawn("producer", () -> {
                try {
                    for (int i = 1; i <= 10; i++) {
                        squares.send(i * i);
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    squares.close();
                }
            });
            int sum = rt.run(() -> {
                int total = 0;
                try {
                    for (;;) {
                        total += squares.receive();
                    }
                } catch (ChannelClosedException drained) {
                    return total;
                }
            });
            printed = sum;
        }
        assertEquals(385, printed);
    }
}
