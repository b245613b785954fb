package io.github.hilos.server;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shutdown waits (it sleeps between looks at the connections and joins the server's strands): two strands on the
 * one carrier of {@code ult} that shut the same server down at once both return the same report. With a monitor
 * around shutdown, the second blocked the carrier thread on it while the first slept, and neither ever returned.
 */
class ShutdownOnOneCarrierTest {

    @Test
    void twoStrandsOnOneCarrierShutTheSameServerDown() throws Exception {
        io.github.hilos.sync.CountDownLatch inService = new io.github.hilos.sync.CountDownLatch(1);
        io.github.hilos.sync.CountDownLatch finish = new io.github.hilos.sync.CountDownLatch(1);
        try (StrandRuntime rt = Runtimes.open("ult")) {
            ThreadPerConnectionServer<String, String> server = ThreadPerConnectionServer.start(rt,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Codecs.lines(256), line -> {
                        inService.countDown();
                        finish.await(); // a request in flight: shutdown waits for it, sleeping in steps
                        return "done";
                    });
            try (Socket client = new Socket()) {
                client.connect(server.localAddress(), 10_000);
                OutputStream out = client.getOutputStream();
                out.write("work\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                inService.await();
                AtomicReference<ShutdownReport> first = new AtomicReference<>();
                AtomicReference<ShutdownReport> second = new AtomicReference<>();
                Strand a = rt.spawn("shutdown-a", () -> first.set(server.shutdown(Duration.ofSeconds(2))));
                Strand b = rt.spawn("shutdown-b", () -> second.set(server.shutdown(Duration.ofSeconds(2))));
                Strand.sleep(Duration.ofMillis(50)); // both are waiting now (one of them for the other)
                finish.countDown();
                Tck.awaitEnd(a);
                Tck.awaitEnd(b);
                assertTrue(first.get() != null && second.get() != null, "both shutdowns returned");
                assertSame(first.get(), second.get(), "later calls return the first report");
            }
        }
    }
}
