package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.StrandCompletion;
import io.github.hilos.ult.internal.cont.Coroutine;

import java.net.InetAddress;
import java.time.Duration;

/**
 * A strand of a simulation: a coroutine run by its {@link World} on the world's thread. Every field is touched
 * on that thread only (plain), except {@code completion}, which other threads may join; a call from another thread
 * (an unpark, an interrupt) is handed to the world's inbox and applied on its thread, in the order received.
 */
final class SimStrand extends Strand {

    static final int NEW = 0;
    static final int RUNNABLE = 1;
    static final int RUNNING = 2;
    static final int PARKED = 3;
    static final int DONE = 4;

    final World world;
    final long id;
    final String name;
    final Coroutine coroutine;
    final StrandCompletion completion = new StrandCompletion();
    /** The simulated host whose address its sockets use; inherited from the strand that spawned it. */
    final InetAddress host;

    int state = NEW;
    boolean permit;
    boolean interrupted;
    /** Set by yield: the strategy prefers another strand for the next step. */
    boolean yielded;
    /** PCT priority: higher runs first. */
    int priority;
    /** The timer of a timed park, or null. */
    World.Timer timer;

    SimStrand(World world, long id, String name, InetAddress host, Runnable body) {
        this.world = world;
        this.id = id;
        this.name = name;
        this.host = host;
        this.coroutine = new Coroutine(body);
    }

    @Override
    public void unpark() {
        if (world.onWorldThread()) {
            world.unpark(this);
        } else {
            world.fromOutside(() -> world.unpark(this));
        }
    }

    @Override
    public void join() throws InterruptedException {
        completion.await();
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return completion.await(timeout);
    }

    @Override
    public void interrupt() {
        if (world.onWorldThread()) {
            interrupted = true;
            world.unpark(this);
        } else {
            world.fromOutside(() -> {
                interrupted = true;
                world.unpark(this);
            });
        }
    }

    @Override
    public boolean isInterrupted() {
        return interrupted;
    }

    @Override
    public boolean isAlive() {
        return !completion.isDone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    protected void parkSelf() {
        park(-1);
    }

    @Override
    protected void parkSelfNanos(long nanos) {
        park(nanos);
    }

    /** Parks unless the permit is there or the strand is interrupted; {@code nanos} negative: no timeout. */
    private void park(long nanos) {
        if (permit) {
            permit = false;
            return;
        }
        if (interrupted) {
            return;
        }
        world.park(this, blocker(), nanos);
        permit = false;
    }

    @Override
    protected void sleepSelf(long nanos) throws InterruptedException {
        long deadline = world.now() + nanos;
        for (;;) {
            if (clearInterruptSelf()) {
                throw new InterruptedException("interrupted while sleeping: " + name);
            }
            long left = deadline - world.now();
            if (left <= 0) {
                return;
            }
            if (permit) {
                permit = false; // an unpark meant for a park: a sleep ignores it, as a spurious wakeup
                continue;
            }
            world.park(this, "a sleep", left);
            permit = false;
        }
    }

    @Override
    protected void yieldSelf() {
        world.yield(this);
    }

    @Override
    protected boolean clearInterruptSelf() {
        boolean was = interrupted;
        interrupted = false;
        return was;
    }

    /** How the trace and reports name it: {@code #3 worker}. */
    String label() {
        return "#" + id + " " + name;
    }

    @Override
    public String toString() {
        return "SimStrand[" + id + ", " + name + (state == DONE ? ", ended]" : "]");
    }
}
