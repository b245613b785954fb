package io.github.hilos.server;

import io.github.hilos.api.StrandRuntime;

import java.net.SocketAddress;

/**
 * The chapter's iterative server: one strand accepts a connection and serves it to its end before it accepts the
 * next. Simple, and the slowest: a client waits while another is served. With a codec that can announce a close
 * (HTTP), each connection carries one request, answered with {@code Connection: close}: a kept-alive client
 * idling on its connection would otherwise stop the server for everyone. With other codecs a connection is served
 * until the client closes it, as in the chapter.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class IterativeServer<I, O> extends StrandServer<I, O> {

    private IterativeServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec, Service<I, O> service,
                     ServerLimits limits) throws Exception {
        super(runtime, address, codec, service, limits);
    }

    /**
     * Starts a server with the default {@link ServerLimits}.
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
        return start(runtime, address, codec, service, ServerLimits.DEFAULTS);
    }

    /**
     * Starts an iterative server.
     *
     * @param runtime the runtime
     * @param address where to listen
     * @param codec the framing
     * @param service the application
     * @param limits the limits
     * @param <I> the request type
     * @param <O> the response type
     * @return the running server; close it to stop
     * @throws Exception if binding fails
     */
    public static <I, O> IterativeServer<I, O> start(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                                     Service<I, O> service,
            ServerLimits limits) throws Exception {
        IterativeServer<I, O> server = new IterativeServer<>(runtime, address, codec, service, limits);
        server.start();
        return server;
    }

    @Override
    protected boolean keepsAlive() {
        return !codec.signalsClose();
    }

    @Override
    protected void dispatch(Runnable serveConnection) {
        serveConnection.run();
    }
}
