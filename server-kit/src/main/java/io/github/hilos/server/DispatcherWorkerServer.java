package io.github.hilos.server;

import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Channel;
import io.github.hilos.sync.ChannelClosedException;
import io.github.hilos.sync.Channels;
import io.github.hilos.sync.CountDownLatch;

import java.net.SocketAddress;

/**
 * The chapter's dispatcher/worker server: requests are read off the connections and handed through a bounded
 * queue to a fixed pool of worker strands, which run the service. When the queue is full the request is refused
 * at once with the codec's {@link Codec#overloaded()} response: admission control, not unbounded growth.
 *
 * <p>Each connection has a reading strand (the dispatcher's eyes on that socket: on a user-level runtime it is
 * parked on the carrier's poller, which is the one real dispatcher); it submits a request, waits for its answer
 * and writes it, so answers come back in request order.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class DispatcherWorkerServer<I, O> extends StrandServer<I, O> {

    private final Channel<Job<I, O>> queue;

    /** A request in the queue, and where its worker leaves the answer. */
    private static final class Job<I, O> {
        final Service<I, O> session;
        final I request;
        final CountDownLatch done = new CountDownLatch(1);
        /** Written by the worker before {@code done} opens, read by the reader after (latch ordering). */
        O response;
        Exception failure;

        Job(Service<I, O> session, I request) {
            this.session = session;
            this.request = request;
        }
    }

    private DispatcherWorkerServer(StrandRuntime runtime, SocketAddress address, Codec<I, O> codec,
                                   Service<I, O> service, int queueCapacity, ServerLimits limits)
            throws Exception {
        super(runtime, address, codec, service, limits);
        this.queue = Channels.bounded(queueCapacity);
    }

    /**
     * Starts a dispatcher/worker server.
     *
     * @param runtime the runtime
     * @param address where to listen
     * @param codec the framing
     * @param service the application
     * @param workers worker strands; positive
     * @param queueCapacity requests that may wait for a worker before new ones are refused; positive
     * @param <I> the request type
     * @param <O> the response type
     * @return the running server; close it to stop
     * @throws Exception if binding fails
     */
    public static <I, O> DispatcherWorkerServer<I, O> start(StrandRuntime runtime, SocketAddress address,
                                                            Codec<I, O> codec, Service<I, O> service, int workers,
                                                            int queueCapacity) throws Exception {
        return start(runtime, address, codec, service, workers, queueCapacity, ServerLimits.DEFAULTS);
    }

    /**
     * Starts a dispatcher/worker server with the given limits.
     *
     * @param runtime the runtime
     * @param address where to listen
     * @param codec the framing
     * @param service the application
     * @param workers worker strands; positive
     * @param queueCapacity requests that may wait for a worker before new ones are refused; positive
     * @param limits the limits
     * @param <I> the request type
     * @param <O> the response type
     * @return the running server; close it to stop
     * @throws Exception if binding fails
     */
    public static <I, O> DispatcherWorkerServer<I, O> start(StrandRuntime runtime, SocketAddress address,
                                                            Codec<I, O> codec, Service<I, O> service, int workers,
                                                            int queueCapacity, ServerLimits limits)
            throws Exception {
        if (workers <= 0) {
            throw new IllegalArgumentException("workers must be positive: " + workers);
        }
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queue capacity must be positive: " + queueCapacity);
        }
        DispatcherWorkerServer<I, O> server = new DispatcherWorkerServer<>(runtime, address, codec, service,
                queueCapacity, limits);
        for (int i = 0; i < workers; i++) {
            server.spawnTracked("worker-" + i, server::work);
        }
        server.start();
        return server;
    }

    private void work() {
        try {
            for (;;) {
                Job<I, O> job = queue.receive();
                try {
                    job.response = job.session.handle(job.request);
                } catch (Exception e) {
                    job.failure = e;
                } catch (Throwable e) {
                    // An Error too, out of memory included: this request fails, the worker goes on (a worker lost
                    // to an OutOfMemoryError would leave the server with fewer workers for good).
                    job.failure = new IllegalStateException("the service failed with " + e, e);
                } finally {
                    job.done.countDown();
                }
            }
        } catch (ChannelClosedException closed) {
            // the server is closing
        } catch (InterruptedException e) {
            Strand.current().interrupt();
        }
    }

    @Override
    protected O answer(Service<I, O> session, I request) throws Exception {
        Job<I, O> job = new Job<>(session, request);
        if (!queue.trySend(job)) {
            return codec.overloaded();
        }
        job.done.await();
        if (job.failure != null) {
            throw job.failure;
        }
        return job.response;
    }

    @Override
    protected void dispatch(Runnable serveConnection) {
        spawnTracked("dispatch", serveConnection);
    }

    @Override
    protected void onClose() {
        queue.close();
    }
}
