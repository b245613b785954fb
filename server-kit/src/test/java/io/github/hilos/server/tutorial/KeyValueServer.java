package io.github.hilos.server.tutorial;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Codecs;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.Service;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The tutorial of docs/server-kit.md: a key-value store, one line each way (SET key value, GET key, DEL key). */
public final class KeyValueServer {

    /** The application: one request line in, one response line out. */
    static Service<String, String> store(Map<String, String> data) {
        return line -> {
            String[] w = line.split(" ", 3);
            return switch (w[0]) {
                case "SET" -> {
                    if (w.length < 3) {
                        yield "ERR usage: SET key value";
                    }
                    data.put(w[1], w[2]);
                    yield "OK";
                }
                case "GET" -> w.length == 2 ? data.getOrDefault(w[1], "NIL") : "ERR usage: GET key";
                case "DEL" -> w.length == 2 && data.remove(w[1]) != null ? "OK" : "NIL";
                default -> "ERR unknown command " + w[0];
            };
        };
    }

    /** A strand per connection, lines of at most 4 KiB, long idle connections allowed, 100 per client address. */
    static StrandServer<String, String> start(StrandRuntime rt, SocketAddress address) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withIdleTimeout(Duration.ofMinutes(5))
                .withMaxConnectionsPerSource(100);
        return ThreadPerConnectionServer.start(rt, address, Codecs.lines(4096), store(new ConcurrentHashMap<>()),
                limits);
    }

    /** Runs the server on port 7070 until Ctrl-C, which shuts it down gracefully. */
    public static void main(String[] args) throws Exception {
        try (StrandRuntime rt = Runtimes.open("hybrid");
             StrandServer<String, String> server = start(rt, new InetSocketAddress(7070))) {
            System.out.println("listening on " + server.localAddress());
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
                    System.out.println(server.shutdown(Duration.ofSeconds(5)))));
            Thread.currentThread().join();
        }
    }
}
