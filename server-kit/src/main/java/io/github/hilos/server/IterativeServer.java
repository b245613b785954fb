package io.github.hilos.server;

import io.github.hilos.api.StrandRuntime;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * The chapter's iterative server: one strand accepts a connection and serves it to its end before it accepts the
 * next. Simple, and the slowest: a client waits while another is served. With a codec that can announce a close
 * (HTTP), each connection carries one request, answered with {@code Connection: close}: a kept-alive client
 * idling on its connection would otherwise stop the server for everyone. With other codecs a connection is served
 * until the client closes it, as in the chapter. That is the chapter's point about iterative servers: one silent
 * client blocks everyone. So by default the iterative server waits at most 5 s for a request to start and to
 * arrive ({@link #DEFAULT_LIMITS}), where the other organizations allow a minute of idleness.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class IterativeServer<I, O> extends StrandServer<I, O> {

    /** {@link ServerLimits#DEFAULTS} with idle and request timeouts of 5 s: a silent client stops everyone. */
    public static final ServerLimits DEFAULT_LIMITS = ServerLimits.DEFAULTS.withIdleTimeout(Duration.ofSeconds(5))
            .withRequestTimeout(Duration.ofSeconds(5));

    private IterativeServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec, Service<I, O> service,
                     ServerLimits limits) throws Exception {
        super(runtime, address, codec, service, limits);
    }

    /**
     * Starts a server with {@link #DEFAULT_LIMITS}.
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
        return start(runtime, address, codec, service, DEFAULT_LIMITS);
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
