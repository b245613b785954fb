package io.github.hilos.server;

import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dispatcher/worker refuses requests cleanly when its queue is full, and serves again once it drains. */
class AdmissionControlTest {

    @ParameterizedTest
    @ValueSource(strings = {"klt", "jdk-virtual", "ult", "hybrid"})
    void aFullQueueRefusesWithTheOverloadedFrame(String runtime) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Service<String, String> slow = line -> {
            release.await();
            return "done " + line;
        };
        try (StrandRuntime rt = OrganizationsTest.open(runtime);
             DispatcherWorkerServer<String, String> server = DispatcherWorkerServer.start(rt,
                     new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                     Codecs.lines(100), slow, 1, 1)) {
            SocketAddress address = server.localAddress();
            ExecutorService clients = Executors.newFixedThreadPool(6);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    int n = i;
                    answers.add(clients.submit(() -> ask(address, "r" + n)));
                }
                // 1 request runs, 1 waits in the queue; the other 4 must be refused at once, while the worker is stuck
                long refused = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (refused < 4 && System.nanoTime() < deadline) {
                    refused = answers.stream().filter(f -> f.isDone() && "ERR overloaded".equals(get(f))).count();
                    Thread.onSpinWait();
                }
                assertEquals(4, refused, "requests beyond one running and one queued are refused");
                release.countDown();
                long served = 0;
                for (Future<String> f : answers) {
                    String answer = f.get(30, TimeUnit.SECONDS);
                    assertTrue(answer.equals("ERR overloaded") || answer.startsWith("done r"), answer);
                    served += answer.startsWith("done") ? 1 : 0;
                }
                assertEquals(2, served);
            } finally {
                clients.shutdownNow();
            }
        }
    }

    private static String get(Future<String> f) {
        try {
            return f.get();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String ask(SocketAddress address, String line) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(address, 30_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
