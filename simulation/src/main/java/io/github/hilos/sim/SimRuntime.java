package io.github.hilos.sim;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandBody;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.spi.AbstractStrandRuntime;
import io.github.hilos.spi.SwitchPoints;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code sim} runtime: strands scheduled by a seeded strategy on one thread, with virtual time and a simulated
 * network. Run through {@link Simulation} it is deterministic (the same seed gives the same schedule and trace);
 * opened through {@code Runtimes.open("sim", ...)} it serves other threads too, with virtual time, but threads
 * outside it decide when their calls arrive, so only what runs inside is reproducible.
 *
 * <p>Its strands, network and clock are for its own strands: call {@link #network()} and {@link #spawnOn} from
 * them (the body of a simulation is one).
 */
public final class SimRuntime extends AbstractStrandRuntime {

    final World world;
    private final SimCarrier ownCarrier;

    SimRuntime(RuntimeOptions options, boolean open) {
        this(SimSettings.of(options), options, open);
    }

    private SimRuntime(SimSettings settings, RuntimeOptions options, boolean open) {
        super("sim", options.withExceptionHandler(recorder(options, open)));
        this.world = new World(settings, this);
        if (settings.switchPoints()) {
            SwitchPoints.enable();
        }
        if (open) {
            ownCarrier = SimCarrier.dedicated(world);
            world.thread = ownCarrier;
            ownCarrier.start();
        } else {
            ownCarrier = null;
        }
    }

    private static io.github.hilos.api.StrandExceptionHandler recorder(RuntimeOptions options, boolean open) {
        return new io.github.hilos.api.StrandExceptionHandler() {
            @Override
            public void uncaught(Strand strand, Throwable failure) {
                if (strand instanceof SimStrand s) {
                    s.world.strandFailed(strand, failure);
                }
                if (open) {
                    options.exceptionHandler().uncaught(strand, failure);
                }
            }
        };
    }

    /**
     * Returns the simulation runtime behind {@code runtime}.
     *
     * @param runtime a runtime opened as {@code sim}, such as the one a {@link SimulationBody} is given
     * @return it, as a {@code SimRuntime}
     * @throws IllegalArgumentException if it is another kind of runtime
     */
    public static SimRuntime of(StrandRuntime runtime) {
        if (runtime instanceof SimRuntime sim) {
            return sim;
        }
        throw new IllegalArgumentException("not a simulation runtime: " + runtime
                + "; open one with Runtimes.open(\"sim\") or run code with Simulation.run");
    }

    @Override
    protected Strand start(String strandName, Runnable body) {
        return startOn(strandName, body, null);
    }

    private Strand startOn(String strandName, Runnable body, java.net.InetAddress host) {
        if (world.onWorldThread()) {
            return world.spawn(strandName, body, host);
        }
        if (ownCarrier == null) {
            throw new IllegalStateException("strands of a simulation are spawned by its own strands;"
                    + " this thread (" + Thread.currentThread().getName() + ") is outside it");
        }
        // From another thread: made on the world's thread, in arrival order; the caller waits for the strand.
        SimStrand[] made = new SimStrand[1];
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        world.fromOutside(() -> {
            made[0] = world.spawn(strandName, body, host);
            done.countDown();
        });
        boolean interrupted = false;
        for (;;) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return made[0];
    }

    /** Called by the world when one of its strands ended. */
    void ended() {
        strandEnded();
    }

    @Override
    protected void shutdown() {
        if (ownCarrier != null) {
            world.stopping = true;
            java.util.concurrent.locks.LockSupport.unpark(ownCarrier);
            boolean interrupted = false;
            while (ownCarrier.isAlive()) {
                try {
                    ownCarrier.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected boolean isOwnStrand() {
        return Strand.current() instanceof SimStrand s && s.world == world;
    }

    /**
     * Spawns a strand on a simulated host: its sockets bind and connect from that address, and the network's
     * faults between hosts apply to it. Strands spawned by it run on the same host.
     *
     * @param host an IPv4 or IPv6 literal, such as {@code "10.0.0.2"}
     * @param name the strand's name
     * @param body what it runs; an exception it throws fails the simulation
     * @return the strand
     */
    public Strand spawnOn(String host, String name, StrandBody body) {
        Objects.requireNonNull(body, "body");
        java.net.InetAddress address = SimNetwork.address(host);
        return spawnWith(name, () -> {
            try {
                body.run();
            } catch (Exception e) {
                SimRuntime.<RuntimeException>sneaky(e);
            }
        }, b -> startOn(name, b, address));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable e) throws E {
        throw (E) e; // the body's own exception, unwrapped, to the runtime's handler
    }

    /**
     * Returns the simulated network, to inject faults (partitions, resets, stalls, refusals) and set latency.
     *
     * @return the network
     */
    public SimNetwork network() {
        return world.network;
    }

    /**
     * Returns the seed this runtime's schedule, latencies, faults and {@link Strand#random()} derive from.
     *
     * @return the seed
     */
    public long seed() {
        return world.settings.seed();
    }

    /**
     * Returns the virtual time since the simulation started. Read it from the runtime's strands.
     *
     * @return the elapsed virtual time
     */
    public Duration elapsed() {
        return Duration.ofNanos(world.now - World.EPOCH);
    }

    /**
     * Returns how many times a strand was resumed so far (the steps of the schedule).
     *
     * @return the step count
     */
    public long steps() {
        return world.steps;
    }

    /**
     * Returns the schedule so far as text: which strand ran, what it waited on and what woke it, with virtual
     * times. Read it from the runtime's strands, or after the simulation ended.
     *
     * @return the trace's lines
     */
    public List<String> trace() {
        return world.trace.lines();
    }
}
