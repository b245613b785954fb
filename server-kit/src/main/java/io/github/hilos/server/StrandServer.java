package io.github.hilos.server;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server organizations share: a listening socket opened in a strand of the runtime, the loop that
 * serves one connection (read a request, handle it, write the response, until the client closes), failure
 * handling, and closing. Subclasses decide who accepts and who handles: the chapter's organizations.
 *
 * <p>Failures: a malformed or oversized request, or a service that throws, gets the codec's error response
 * and its connection is closed; the server goes on serving the others. Nothing here kills a strand of the
 * runtime but the connection's own.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public abstract class StrandServer<I, O> implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.hilos.server");

    /** The runtime the server's strands run on. */
    protected final StrandRuntime runtime;
    /** The framing. */
    protected final Codec<I, O> codec;
    /** The application. */
    protected final Service<I, O> service;
    private final StrandServerSocket listener;
    private final Set<StrandSocket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Strand> strands = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /**
     * Binds the listening socket (in a strand of {@code runtime}, so that user-level runtimes poll it).
     *
     * @param runtime the runtime
     * @param address where to listen; port 0 picks one
     * @param codec the framing
     * @param service the application
     * @throws Exception if binding fails
     */
    protected StrandServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec, Service<I, O> service)
            throws Exception {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.service = Objects.requireNonNull(service, "service");
        Objects.requireNonNull(address, "address");
        this.listener = runtime.run(() -> StrandServerSocket.bind(address, 1024));
    }

    /** Starts accepting; called by the subclasses' factories once they are fully built. */
    protected final void start() {
        track(runtime.spawn("server-acceptor", () -> {
            try {
                acceptLoop(listener);
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.ERROR, "the server stopped accepting", e);
                }
            } catch (InterruptedException e) {
                Strand.current().interrupt();
            }
        }));
    }

    /**
     * Accepts connections until the listener closes, and has them served: the organization.
     *
     * @param listener the listening socket
     * @throws IOException when the listener closes or fails
     * @throws InterruptedException if the acceptor is interrupted
     */
    protected abstract void acceptLoop(StrandServerSocket listener) throws IOException, InterruptedException;

    /**
     * Starts a strand of the server's runtime that the server waits for when it closes.
     *
     * @param name the strand's name
     * @param task what it does
     * @return the strand
     */
    protected final Strand spawnTracked(String name, Runnable task) {
        return track(runtime.spawn(name, task));
    }

    private Strand track(Strand s) {
        strands.add(s);
        return s;
    }

    /**
     * Answers one request: {@link Service#handle} here; dispatcher/worker hands it to a worker instead.
     *
     * @param request the request
     * @return the response
     * @throws Exception if the service fails
     */
    protected O answer(I request) throws Exception {
        return service.handle(request);
    }

    /**
     * Serves one connection to its end: read, answer, write, until the client closes it or a request fails.
     *
     * @param connection the accepted connection
     */
    protected final void serve(StrandSocket connection) {
        connections.add(connection);
        try (connection) {
            FrameReader in = new FrameReader(connection, 8192);
            for (;;) {
                I request;
                try {
                    request = codec.read(in);
                } catch (IOException malformed) {
                    if (!closing && connection.isOpen()) {
                        respondWithError(connection, malformed);
                    }
                    return;
                }
                if (request == null) {
                    return; // the client closed cleanly
                }
                O response;
                try {
                    response = answer(request);
                } catch (InterruptedException e) {
                    Strand.current().interrupt();
                    return;
                } catch (Exception failed) {
                    respondWithError(connection, failed);
                    return;
                }
                codec.write(response, connection);
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.log(System.Logger.Level.DEBUG, "connection ended: " + e);
            }
        } finally {
            connections.remove(connection);
        }
    }

    /** Writes the codec's error response, if it has one; the caller then ends the connection. */
    private void respondWithError(StrandSocket connection, Exception failure) {
        O error = codec.error(failure);
        if (error != null) {
            try {
                codec.write(error, connection);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not write the error response: " + e);
            }
        }
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return whether the server is closing
     */
    protected final boolean isClosing() {
        return closing;
    }

    /**
     * Returns the address the server listens on.
     *
     * @return the address, with the actual port
     * @throws IOException if the server is closed
     */
    public SocketAddress localAddress() throws IOException {
        return listener.localAddress();
    }

    /**
     * Stops accepting, closes the open connections (a request being handled finishes, its response may not be
     * delivered), and waits up to ten seconds for the server's strands. The runtime stays open.
     */
    @Override
    public void close() {
        closing = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener", e);
        }
        for (StrandSocket c : connections) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        onClose();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Strand s : strands) {
            try {
                if (!s.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    LOG.log(System.Logger.Level.WARNING, "server strand " + s + " did not end within 10 s");
                }
            } catch (InterruptedException e) {
                Strand.current().interrupt();
                return;
            }
        }
    }

    /** Releases what the organization holds (worker queues); called by {@link #close()} after the sockets. */
    protected void onClose() {
    }
}
