package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.NetProvider;
import io.github.hilos.spi.StrandCarrier;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.random.RandomGenerator;

/**
 * The thread a simulation runs on. It answers {@link Strand#current()}, {@link Strand#nanoTime()},
 * {@link Strand#random()}, {@code Jacket.call} and the sockets for the world it runs. {@link Simulation} reuses
 * idle carriers from one schedule to the next (a thread per schedule would cost more than the schedule); a runtime
 * opened through {@code Runtimes.open("sim")} has one of its own.
 */
final class SimCarrier extends Thread implements StrandCarrier {

    private static final ConcurrentLinkedQueue<SimCarrier> IDLE = new ConcurrentLinkedQueue<>();
    private static int count;

    private final SynchronousQueue<Runnable> jobs = new SynchronousQueue<>();
    /** The world running on this thread; this thread only. */
    World world;

    private SimCarrier(String name) {
        super(name);
        setDaemon(true);
    }

    /** A carrier for one world, to run {@link World#runOpen()} until the runtime closes. */
    static SimCarrier dedicated(World world) {
        SimCarrier c = new SimCarrier("hilos-sim-" + nextNumber());
        c.world = world;
        return c;
    }

    private static synchronized int nextNumber() {
        return ++count;
    }

    @Override
    public void run() {
        if (world != null) {
            world.runOpen();
            return;
        }
        for (;;) {
            try {
                jobs.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Runs {@code world} to its end on a pooled carrier and returns when it has ended.
     *
     * @param world the world
     * @param startBody spawns the body strand, on the carrier
     */
    static void runToEnd(World world, Runnable startBody) {
        SimCarrier c = IDLE.poll();
        if (c == null) {
            c = new SimCarrier("hilos-sim-" + nextNumber());
            c.start();
        }
        SimCarrier carrier = c;
        Throwable[] escaped = new Throwable[1];
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Runnable job = () -> {
            carrier.world = world;
            try {
                world.runToEnd(startBody);
            } catch (Throwable t) {
                escaped[0] = t;
            } finally {
                carrier.world = null;
                done.countDown();
            }
        };
        try {
            carrier.jobs.put(job);
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a simulation ran", e);
        }
        IDLE.add(carrier);
        if (escaped[0] != null) {
            throw new IllegalStateException("the simulation's scheduler failed (a Hilos bug)", escaped[0]);
        }
    }

    @Override
    public Strand currentStrand() {
        World w = world;
        return w == null ? null : w.current;
    }

    @Override
    public long nanoTime() {
        World w = world;
        return w == null ? System.nanoTime() : w.now();
    }

    @Override
    public RandomGenerator random() {
        World w = world;
        return w == null ? java.util.concurrent.ThreadLocalRandom.current() : w.userRandom;
    }

    @Override
    public <T> T jacket(Callable<T> task) throws Exception {
        return world.jacket(task);
    }

    @Override
    public <T> java.util.concurrent.CompletableFuture<T> jacketAsync(Callable<T> task) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        world.runtime.spawn("jacket-async", () -> {
            try {
                result.complete(world.jacket(task));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Override
    public NetProvider net() {
        return world.network.provider;
    }

    @Override
    public void switchPoint() {
        world.switchPoint();
    }
}
