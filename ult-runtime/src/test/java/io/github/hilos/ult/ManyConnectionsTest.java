package io.github.hilos.ult;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.sync.CountDownLatch;
import io.github.hilos.tck.NetTck;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.hilos.tck.Tck.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Thousands of connections open at once on the single carrier of one {@code ult} runtime. */
class ManyConnectionsTest {

    private static final int CONNECTIONS = 2_000;

    @Test
    void twoThousandConcurrentEchoConnectionsOnOneCarrier() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult")) {
            StrandServerSocket server = rt.run(() ->
                    StrandServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS));
            SocketAddress address = server.localAddress();
            Tck.Failures failures = new Tck.Failures();
            Strand acceptor = NetTck.startEchoServer(rt, server, CONNECTIONS, 64, failures);
            CountDownLatch allConnected = new CountDownLatch(CONNECTIONS);
            AtomicInteger echoed = new AtomicInteger();
            Tck.runAll(rt, CONNECTIONS, i -> {
                try (StrandSocket socket = StrandSocket.connect(address, Tck.HANG)) {
                    allConnected.countDown();
                    allConnected.await(); // every connection is open before any is used
                    byte[] message = ("hello from " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    socket.write(ByteBuffer.wrap(message));
                    ByteBuffer reply = ByteBuffer.allocate(message.length);
                    while (reply.hasRemaining()) {
                        if (socket.read(reply, Tck.HANG) < 0) {
                            throw new AssertionError("early end of stream on connection " + i);
                        }
                    }
                    assertEquals(new String(message, java.nio.charset.StandardCharsets.US_ASCII),
                            new String(reply.array(), java.nio.charset.StandardCharsets.US_ASCII));
                    echoed.incrementAndGet();
                }
            });
            awaitEnd(acceptor, failures);
            failures.rethrow();
            assertEquals(CONNECTIONS, echoed.get());
            rt.run(() -> {
                server.close();
                return null;
            });
        }
    }
}
