package io.github.hilos.server;

import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The chapter's concurrent server: a strand per connection, spawned by the accepting strand.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class ThreadPerConnectionServer<I, O> extends StrandServer<I, O> {

    private ThreadPerConnectionServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                      Service<I, O> service) throws Exception {
        super(runtime, address, codec, service);
    }

    /**
     * Starts a thread-per-connection server.
     *
     * @param runtime the runtime
     * @param address where to listen
     * @param codec the framing
     * @param service the application
     * @param <I> the request type
     * @param <O> the response type
     * @return the running server; close it to stop
     * @throws Exception if binding fails
     */
    public static <I, O> ThreadPerConnectionServer<I, O> start(StrandRuntime runtime, SocketAddress address,
                                                               Codec<I, O> codec, Service<I, O> service)
            throws Exception {
        ThreadPerConnectionServer<I, O> server = new ThreadPerConnectionServer<>(runtime, address, codec, service);
        server.start();
        return server;
    }

    @Override
    protected void acceptLoop(StrandServerSocket listener) throws IOException {
        while (!isClosing()) {
            StrandSocket connection = listener.accept();
            spawnTracked("connection", () -> serve(connection));
        }
    }
}
