package example;

import io.github.hilos.api.Strand;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.server.Server;
import io.github.hilos.sim.SimRuntime;
import io.github.hilos.sim.SimulationTest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key-value API under deterministic simulation: two clients on two hosts write their own keys and read them
 * back while the network between one of them and the server is cut for a while. Each of the 200 schedules has its
 * own interleaving, latencies and partition time; a failure names the seed that replays it
 * ({@code -Dhilos.sim.seed=N}).
 */
class KeyValueSimulationTest {

    @SimulationTest(schedules = 200)
    void everyClientReadsBackWhatItWrote(SimRuntime sim) throws Exception {
        Server[] server = new Server[1];
        sim.spawnOn("10.0.0.1", "server", () -> server[0] = new KeyValueApi().start(sim,
                new InetSocketAddress("127.0.0.1", 0))).join();
        SocketAddress at = server[0].localAddress();
        sim.spawnThrowing("network", () -> {
            Strand.sleep(Duration.ofMillis(Strand.random().nextInt(0, 5)));
            sim.network().partition("10.0.0.1", "10.0.0.3");
            Strand.sleep(Duration.ofSeconds(2));
            sim.network().healAll();
        });
        Strand[] clients = new Strand[2];
        for (int c = 0; c < 2; c++) {
            String client = "c" + c;
            clients[c] = sim.spawnOn("10.0.0." + (2 + c), client, () -> {
                for (int i = 0; i < 3; i++) {
                    String key = client + "-" + i;
                    assertEquals(201, exchange(at, "PUT /keys/" + key, "v" + i));
                    assertEquals(200, exchange(at, "GET /keys/" + key, null));
                }
            });
        }
        for (Strand c : clients) {
            c.join();
        }
        server[0].close();
    }

    /** One request on a connection of its own; returns the status. */
    private static int exchange(SocketAddress at, String requestLine, String body) throws IOException {
        try (StrandSocket s = StrandSocket.connect(at)) {
            String b = body == null ? "" : body;
            s.write(ByteBuffer.wrap((requestLine + " HTTP/1.1\r\nHost: kv\r\nContent-Length: " + b.length()
                    + "\r\nConnection: close\r\n\r\n" + b).getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (s.read(in) >= 0) {
                // read the whole answer: the server closes after it
            }
            String response = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 "), response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }
}
