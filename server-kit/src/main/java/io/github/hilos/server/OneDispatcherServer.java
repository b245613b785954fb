package io.github.hilos.server;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.ChannelClosedException;
import io.github.hilos.sync.Channels;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The chapter's dispatcher/worker server taken literally: <em>one</em> dispatcher strand reads every connection
 * (the state-table server's loop, non-blocking) and hands each request through a bounded queue to a fixed pool of
 * worker strands, which may block in the service; a worker's answer comes back to the dispatcher as an event, and
 * the dispatcher writes it. A full queue refuses the request at once with the codec's overloaded response.
 * {@link DispatcherWorkerServer} is the variant with a reading strand per connection, which suits user-level
 * runtimes, where those strands wait on the carrier's poller anyway.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class OneDispatcherServer<I, O> implements Server {

    private final StateTableServer<I, O> dispatcher;
    private final ServerLimits limits;
    private final Channel<Job<I, O>> queue;
    private final List<Strand> workers = new ArrayList<>();

    private record Job<I, O>(I request, CompletableFuture<O> answer) {
    }

    private OneDispatcherServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                Service<I, O> service, int workerCount, int queueCapacity, ServerLimits limits)
            throws Exception {
        this.queue = Channels.bounded(queueCapacity);
        this.limits = limits;
        for (int i = 0; i < workerCount; i++) {
            workers.add(runtime.spawn("worker-" + i, () -> work(service)));
        }
        StateMachine<I, O> handOff = new StateMachine<>() {
            @Override
            public Transition<O> start(long id, I request) {
                Job<I, O> job = new Job<>(request, new CompletableFuture<>());
                return queue.trySend(job) ? Transition.await("with a worker", job.answer())
                        : Transition.reply(codec.overloaded());
            }

            @Override
            @SuppressWarnings("unchecked") // the answer of a Job<I, O> is an O
            public Transition<O> resume(long id, Object state, Object result, Throwable failure) throws Exception {
                if (failure != null) {
                    throw failure instanceof Exception e ? e : new IllegalStateException(failure);
                }
                return Transition.reply((O) result);
            }
        };
        try {
            this.dispatcher = StateTableServer.start(runtime, address, codec, handOff, limits);
        } catch (Exception e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Starts the server.
     *
     * @param runtime the runtime
     * @param address where to listen
     * @param codec the framing
     * @param service the application; may block (it runs in the workers)
     * @param workers worker strands; positive
     * @param queueCapacity requests that may wait for a worker; positive
     * @param limits the limits
     * @param <I> the request type
     * @param <O> the response type
     * @return the running server
     * @throws Exception if binding fails
     */
    public static <I, O> OneDispatcherServer<I, O> start(StrandRuntime runtime, SocketAddress address,
                                                         Codec<I, O> codec, Service<I, O> service, int workers,
                                                         int queueCapacity, ServerLimits limits) throws Exception {
        if (workers <= 0) {
            throw new IllegalArgumentException("workers must be positive: " + workers);
        }
        if (service instanceof SessionService) {
            throw new IllegalArgumentException("a SessionService keeps per-connection state, which one dispatcher "
                    + "handing requests to any worker cannot route; use DispatcherWorkerServer");
        }
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queue capacity must be positive: " + queueCapacity);
        }
        return new OneDispatcherServer<>(runtime, address, codec, service, workers, queueCapacity, limits);
    }

    private void work(Service<I, O> service) {
        try {
            for (;;) {
                Job<I, O> job = queue.receive();
                try {
                    job.answer().complete(service.handle(job.request()));
                } catch (Throwable t) { // an Error too: the request fails, the worker goes on
                    job.answer().completeExceptionally(t);
                    if (t instanceof VirtualMachineError fatal) {
                        throw fatal;
                    }
                }
            }
        } catch (ChannelClosedException closed) {
            // the server is closing
        } catch (InterruptedException e) {
            Strand.current().interrupt();
        }
    }

    /**
     * Returns where the server listens.
     *
     * @return the address
     */
    public SocketAddress localAddress() {
        return dispatcher.localAddress();
    }

    /**
     * Returns the dispatcher's counters.
     *
     * @return the counters
     */
    public ServerStats stats() {
        return dispatcher.stats();
    }

    /**
     * Shuts down gracefully (see {@link StateTableServer#shutdown}), then stops the workers.
     *
     * @param grace how long in-flight requests may take
     * @return the report
     */
    public ShutdownReport shutdown(Duration grace) {
        ShutdownReport report = dispatcher.shutdown(grace);
        queue.close();
        for (Strand w : workers) {
            try {
                if (!w.join(Duration.ofSeconds(1))) {
                    w.interrupt(); // stuck in a request that was cut
                    w.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Strand.current().interrupt();
                break;
            }
        }
        return report;
    }

    /** Shuts down within the limits' shutdown grace. */
    @Override
    public void close() {
        shutdown(limits.shutdownGrace());
    }
}
