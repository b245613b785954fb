package io.github.hilos.server;

import io.github.hilos.api.StrandRuntime;

import java.net.SocketAddress;

/**
 * The chapter's concurrent server: a strand per connection, spawned by the accepting strand.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class ThreadPerConnectionServer<I, O> extends StrandServer<I, O> {

    private ThreadPerConnectionServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                      Service<I, O> service,
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
    public static <I, O> ThreadPerConnectionServer<I, O> start(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
            Service<I, O> service) throws Exception {
        return start(runtime, address, codec, service, ServerLimits.DEFAULTS);
    }

    /**
     * Starts a thread-per-connection server.
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
    public static <I, O> ThreadPerConnectionServer<I, O> start(StrandRuntime runtime, SocketAddress address,
                                                               Codec<I, O> codec, Service<I, O> service,
            ServerLimits limits) throws Exception {
        ThreadPerConnectionServer<I, O> server = new ThreadPerConnectionServer<>(runtime, address, codec, service, limits);
        server.start();
        return server;
    }

    @Override
    protected void dispatch(Runnable serveConnection) {
        spawnTracked("connection", serveConnection);
    }
}
