package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The simulation example of docs/testing.md, verbatim: the guide's code compiles and passes. */
class EchoUnderFaultsTest {

    @SimulationTest(schedules = 500, settings = "switch.points=true")
    void echoSurvivesAPartition(SimRuntime sim) throws Exception {
        StrandServerSocket listener = StrandServerSocket.bind(new InetSocketAddress("127.0.0.1", 0));
        sim.spawnThrowing("server", () -> {
            try (StrandSocket c = listener.accept()) {
                ByteBuffer b = ByteBuffer.allocate(1);
                while (c.read(b.clear()) > 0) {
                    c.write(b.flip());
                }
            }
        });
        sim.spawnThrowing("chaos", () -> {             // a partition at a random moment, healed 5 s later
            Strand.sleep(Duration.ofMillis(Strand.random().nextInt(1, 10)));
            sim.network().partition("10.0.0.1", "10.0.0.2");
            Strand.sleep(Duration.ofSeconds(5));
            sim.network().healAll();
        });
        sim.spawnOn("10.0.0.2", "client", () -> {     // another host
            try (StrandSocket s = StrandSocket.connect(listener.localAddress())) {
                for (byte i = 0; i < 10; i++) {
                    s.write(ByteBuffer.wrap(new byte[] {i}));
                    ByteBuffer one = ByteBuffer.allocate(1);
                    s.read(one);
                    assertEquals(i, one.get(0));
                }
            }
        }).join();
    }
}
