package io.github.hilos.server;

import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The chapter's iterative server: one strand accepts a connection and serves it to its end before it accepts the
 * next. Simple, and the slowest: a client waits while another is served.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class IterativeServer<I, O> extends StrandServer<I, O> {

    private IterativeServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec, Service<I, O> service)
            throws Exception {
        super(runtime, address, codec, service);
    }

    /**
     * Starts an iterative server.
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
    public static <I, O> IterativeServer<I, O> start(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                                     Service<I, O> service) throws Exception {
        IterativeServer<I, O> server = new IterativeServer<>(runtime, address, codec, service);
        server.start();
        return server;
    }

    @Override
    protected void acceptLoop(StrandServerSocket listener) throws IOException {
        while (!isClosing()) {
            serve(listener.accept());
        }
    }
}
