package io.github.hilos.ult.firstuse;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.net.StrandSelector;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.ult.StallReport;
import io.github.hilos.ult.UltRuntime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * Run in a fresh JVM by {@code FirstUseTest}: opens a runtime whose watchdog reports any mount of 25 ms or more,
 * then makes the first use of each facility a strand may reach (jacket, timer, socket, selector, dump, stall
 * event) and prints every stall report, one line each: {@code STALL <strand> <frames>}, then how many spare
 * carriers were started ({@code COMPENSATIONS n}). A one-time cost paid on
 * the carrier in a strand's path shows up here with its stack; the same costs paid when the runtime opens, or on
 * another thread, do not.
 */
public final class FirstUseProbe {

    public static void main(String[] args) throws Exception {
        String runtime = args.length > 0 ? args[0] : "ult";
        RuntimeOptions options = RuntimeOptions.defaults().with("watchdog.threshold.ms", "25");
        try (UltRuntime rt = (UltRuntime) Runtimes.open(runtime, options)) {
            rt.run(() -> {
                Jacket.call(() -> "first jacketed call");
                Strand.sleep(Duration.ofMillis(1));
                try (StrandServerSocket server = StrandServerSocket.bind(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                     StrandSocket client = StrandSocket.connect(server.localAddress());
                     StrandSocket accepted = server.accept()) {
                    client.write(ByteBuffer.wrap(new byte[] {1}));
                    accepted.read(ByteBuffer.allocate(1));
                }
                Pipe pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                try (StrandSelector selector = StrandSelector.open()) {
                    selector.register(pipe.source(), SelectionKey.OP_READ, null);
                    pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                    selector.select(Duration.ofSeconds(5), key -> { });
                }
                pipe.sink().close();
                pipe.source().close();
                rt.dump(); // the first dump, asked for by a strand
                return null;
            });
            rt.dump();
            // a carrier held by a one-time cost looks stuck to the compensator of hybrid, which starts a spare
            System.out.println("COMPENSATIONS " + rt.metrics().getCompensations());
            for (StallReport r : rt.stalls()) {
                StringBuilder line = new StringBuilder("STALL ").append(r.strandName()).append(' ')
                        .append(r.stalledFor().toMillis()).append("ms");
                for (StackTraceElement e : r.stack()) {
                    line.append(' ').append(e.getClassName()).append('.').append(e.getMethodName());
                }
                System.out.println(line);
            }
        }
        System.out.println("DONE");
    }
}
