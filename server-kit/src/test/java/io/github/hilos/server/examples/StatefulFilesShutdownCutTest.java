package io.github.hilos.server.examples;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Codecs;
import io.github.hilos.server.DispatcherWorkerServer;
import io.github.hilos.server.Service;
import io.github.hilos.server.SessionService;
import io.github.hilos.server.ShutdownReport;
import io.github.hilos.tck.Tck;
import io.github.hilos.ult.UltRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shutdown cut ends a dispatcher/worker connection while its worker is inside the stateful-files session, waiting
 * for a jacketed file call: the connection's end closes the session on the same carrier. The session orders the
 * two with a strand-aware lock. With a monitor there (as before), the worker's wait inside it fails at once in the
 * checking mode this suite runs in; without the checking mode the same wait pins the carrier until the file call
 * returns, and every strand of that carrier waits with it.
 */
class StatefulFilesShutdownCutTest {

    /** Records what the sessions' handle throws, passing everything through. */
    private record Recording(StatefulFiles files, Queue<Throwable> failures)
            implements SessionService<String, String> {
        @Override
        public Service<String, String> openSession() throws Exception {
            Service<String, String> session = files.openSession();
            return new Recorded(session, failures);
        }
    }

    private record Recorded(Service<String, String> session, Queue<Throwable> failures)
            implements Service<String, String>, AutoCloseable {
        @Override
        public String handle(String request) throws Exception {
            try {
                return session.handle(request);
            } catch (Throwable t) {
                failures.add(t);
                throw t;
            }
        }

        @Override
        public void close() {
            try {
                ((AutoCloseable) session).close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
    }

    @Test
    void aCutClosesASessionWhoseWorkerWaitsInsideIt(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("a.txt"), "hello");
        StatefulFiles files = new StatefulFiles(root, 1); // one file open on the whole server: a leak shows
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch gate = new CountDownLatch(1);
        try (StrandRuntime rt = Runtimes.open("ult", RuntimeOptions.defaults().with("jacket.threads", "1"))) {
            try {
                cutWhileTheWorkerWaits(rt, files, failures, gate);
            } finally {
                gate.countDown(); // whatever failed, the hog ends and the runtime can close
            }
        }
    }

    private static void cutWhileTheWorkerWaits(StrandRuntime rt, StatefulFiles files, Queue<Throwable> failures,
                                               CountDownLatch gate) throws Exception {
        {
            UltRuntime ult = (UltRuntime) rt;
            // The only jacket thread is busy until the gate opens: the worker's OPEN will wait for it.
            rt.spawn("pool-hog", () -> {
                try {
                    Jacket.call(() -> {
                        gate.await();
                        return null;
                    });
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            Tck.awaitCondition("the hog holds the jacket thread", () -> ult.metrics().getJacketedCalls() == 1);
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DispatcherWorkerServer<String, String> server = DispatcherWorkerServer.start(rt, any,
                    Codecs.lines(256), new Recording(files, failures), 1, 16);
            AtomicReference<ShutdownReport> report = new AtomicReference<>();
            try (Socket client = new Socket()) {
                client.connect(server.localAddress(), 10_000);
                OutputStream out = client.getOutputStream();
                out.write("OPEN a.txt\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Tck.awaitCondition("the worker waits for the jacket inside the session",
                        () -> ult.metrics().getJacketedCalls() == 2);
                // Cut at once, from a strand of the same carrier: the connection's end closes the session there.
                Strand cutter = rt.spawn("cutter", () -> report.set(server.shutdown(Duration.ZERO)));
                client.setSoTimeout(30_000);
                int seen;
                try {
                    seen = client.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    seen = -1;
                }
                assertEquals(-1, seen, "the cut closed the connection before its answer");
                gate.countDown(); // now the worker's call completes, and with it the session's answer and close
                Tck.awaitEnd(cutter);
            }
            assertNotNull(report.get(), "the shutdown returned");
            assertEquals(List.of(), List.copyOf(failures), "the session's handle never failed");
            // The file the worker opened was closed with the session: the server-wide budget of one is free again.
            DispatcherWorkerServer<String, String> again = DispatcherWorkerServer.start(rt, any,
                    Codecs.lines(256), files, 1, 16);
            try (Socket client = new Socket()) {
                client.connect(again.localAddress(), 10_000);
                client.setSoTimeout(30_000);
                client.getOutputStream().write("OPEN a.txt\n".getBytes(StandardCharsets.UTF_8));
                String answer = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertTrue(answer.startsWith("OK"), "no file leaked by the cut session: " + answer);
            } finally {
                again.close();
            }
        }
    }
}
