package io.github.hilos.bench;

import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Codec;
import io.github.hilos.server.Codecs;
import io.github.hilos.server.DispatcherWorkerServer;
import io.github.hilos.server.IterativeServer;
import io.github.hilos.server.OneDispatcherServer;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.Service;
import io.github.hilos.server.ShutdownReport;
import io.github.hilos.server.StateMachine;
import io.github.hilos.server.StateTableServer;
import io.github.hilos.server.StrandServer;
import io.github.hilos.server.ThreadPerConnectionServer;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

/** Starts a server-kit server of any organization, for {@code hilos serve} and the experiments. */
final class ServerSetup {

    static final List<String> ORGANIZATIONS = List.of("iterative", "thread-per-connection", "dispatcher-worker",
            "one-dispatcher", "state-table");

    private ServerSetup() {
    }

    /** A started server of any kind: where it listens, how to stop it, how many requests it read. */
    interface Running {
        SocketAddress address() throws java.io.IOException;

        ShutdownReport shutdown(Duration grace);

        long requests();

        static Running of(SocketAddress address, java.util.function.Function<Duration, ShutdownReport> shutdown,
                          java.util.function.LongSupplier requests) {
            return new Running() {
                @Override
                public SocketAddress address() {
                    return address;
                }

                @Override
                public ShutdownReport shutdown(Duration grace) {
                    return shutdown.apply(grace);
                }

                @Override
                public long requests() {
                    return requests.getAsLong();
                }
            };
        }
    }

    /**
     * Starts {@code service} (or {@code machine} for the state table) under {@code org}.
     *
     * @param machine the state-table form of the service; null if the service does not fit the state table
     */
    static <I, O> Running start(String org, StrandRuntime rt, SocketAddress address, Codec<I, O> codec,
                                Service<I, O> service, StateMachine<I, O> machine, int workers, ServerLimits limits)
            throws Exception {
        switch (org) {
            case "one-dispatcher" -> {
                OneDispatcherServer<I, O> s = OneDispatcherServer.start(rt, address, codec, service, workers, 4096,
                        limits);
                return Running.of(s.localAddress(), s::shutdown, () -> s.stats().requests());
            }
            case "state-table" -> {
                if (machine == null) {
                    throw new Hilos.UsageException("this service keeps per-connection state in its strands; "
                            + "it does not fit the state-table organization");
                }
                StateTableServer<I, O> s = StateTableServer.start(rt, address, codec, machine, limits);
                return Running.of(s.localAddress(), s::shutdown, () -> s.stats().requests());
            }
            default -> {
                StrandServer<I, O> s = switch (org) {
                    case "iterative" -> IterativeServer.start(rt, address, codec, service, limits);
                    case "thread-per-connection" -> ThreadPerConnectionServer.start(rt, address, codec, service,
                            limits);
                    case "dispatcher-worker" -> DispatcherWorkerServer.start(rt, address, codec, service, workers,
                            4096, limits);
                    default -> throw new Hilos.UsageException("unknown organization '" + org + "'; known: "
                            + String.join(", ", ORGANIZATIONS));
                };
                return Running.of(s.localAddress(), s::shutdown, () -> s.stats().requests());
            }
        }
    }

    /** The line codec the line services use. */
    static Codec<String, String> lines() {
        return Codecs.lines(8192);
    }
}
