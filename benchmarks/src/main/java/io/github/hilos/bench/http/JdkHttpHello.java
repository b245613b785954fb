package io.github.hilos.bench.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The other HTTP peer: the JDK's {@code HttpServer} with a virtual thread per exchange, same hello body. */
public final class JdkHttpHello implements AutoCloseable {

    private static final byte[] HELLO = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Starts the server.
     *
     * @param address where to listen
     * @throws IOException if binding fails
     */
    public JdkHttpHello(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 1024);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(200, head ? -1 : HELLO.length);
                if (!head) {
                    exchange.getResponseBody().write(HELLO);
                }
            }
        });
        server.start();
    }

    /**
     * Returns where it listens.
     *
     * @return the address
     */
    public InetSocketAddress localAddress() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
