package io.github.hilos.sim;

import io.github.hilos.api.Strand;
import io.github.hilos.spi.StrandCompletion;
import io.github.hilos.sync.Mutex;
import io.github.hilos.ult.internal.cont.Coroutine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulation: its strands, its scheduler, its virtual clock and timers, its network and its trace, all run on
 * one thread (the world's thread, a {@link SimCarrier}) and touched only there. Everything that decides what runs
 * next draws from generators split from the seed, and every collection that is iterated keeps a deterministic
 * order (insertion, id, or deadline then sequence): the same seed gives the same schedule.
 *
 * <p>The scheduler is cooperative, as in {@code ult}: a strand runs until it parks, yields, ends, or reaches a
 * switch point (when they are on). At each such point the strategy picks the next strand among the runnable
 * ones: uniformly at random, or by PCT priorities (Burckhardt et al., ASPLOS 2010: random distinct priorities, and
 * {@code depth - 1} change points, at random steps, where the running strand drops below all others). When no
 * strand can run the clock jumps to the next timer; when there is none either, the simulation is deadlocked (or,
 * opened as a runtime, waits for other threads).
 */
final class World {

    /** Virtual time starts here, not at zero: code may use 0 as "unset". */
    static final long EPOCH = 1_000_000_000_000L;

    final SimSettings settings;
    final SimRuntime runtime;
    final SimNetwork network;
    final SplittableRandom schedule;
    final SplittableRandom userRandom;
    final SplittableRandom netRandom;
    final Trace trace;
    final InetAddress defaultHost;

    /** The thread that runs this world; set when it starts. */
    volatile Thread thread;
    long now = EPOCH;
    /** With {@code time=real}: the real clock's reading that {@link #EPOCH} stands for; set by runOpen. */
    private long realStart;
    private boolean realClock;
    long steps;
    long decisions;
    SimStrand current;
    SimStrand body;
    private long nextId = 1;
    private final ArrayList<SimStrand> runnable = new ArrayList<>();
    /** Live strands in id order (insertion order), for reports. */
    final LinkedHashMap<Long, SimStrand> live = new LinkedHashMap<>();
    /** Whose end each live strand's completion is: joins name the strand they wait for. */
    private final IdentityHashMap<StrandCompletion, SimStrand> completions = new IdentityHashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;
    private final int[] changePoints;
    private int nextChangePoint;
    /** Calls from other threads, applied on the world's thread in arrival order. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    volatile boolean stopping;

    /** The first failure: what ends the simulation. */
    Throwable failure;
    String failureSummary;

    World(SimSettings settings, SimRuntime runtime) {
        this.settings = settings;
        this.runtime = runtime;
        SplittableRandom root = new SplittableRandom(settings.seed());
        this.schedule = root.split();
        this.userRandom = root.split();
        this.netRandom = root.split();
        this.trace = new Trace(this);
        this.defaultHost = SimNetwork.address("10.0.0.1");
        this.network = new SimNetwork(this);
        if (settings.pct()) {
            changePoints = new int[settings.pctDepth() - 1];
            for (int i = 0; i < changePoints.length; i++) {
                changePoints[i] = 1 + schedule.nextInt(settings.pctSteps());
            }
            Arrays.sort(changePoints);
        } else {
            changePoints = new int[0];
        }
    }

    boolean onWorldThread() {
        return Thread.currentThread() == thread;
    }

    /** Hands a call made on another thread to the world's thread. */
    void fromOutside(Runnable call) {
        inbox.add(call);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---- strands ----

    SimStrand spawn(String name, Runnable body, InetAddress host) {
        SimStrand parent = current;
        InetAddress h = host != null ? host : parent != null ? parent.host : defaultHost;
        SimStrand s = new SimStrand(this, nextId++, name, h, body);
        if (settings.pct()) {
            s.priority = settings.pctDepth() + schedule.nextInt(1 << 20);
        }
        live.put(s.id, s);
        completions.put(s.completion, s);
        trace.add(Trace.SPAWN, parent, s, null);
        makeRunnable(s);
        return s;
    }

    private void makeRunnable(SimStrand s) {
        s.state = SimStrand.RUNNABLE;
        runnable.add(s);
    }

    void unpark(SimStrand s) {
        if (s.state == SimStrand.DONE) {
            return;
        }
        s.permit = true;
        if (s.state == SimStrand.PARKED) {
            cancelTimer(s);
            makeRunnable(s);
            trace.add(Trace.WAKE, s, current, null);
        }
    }

    /** Parks the running strand {@code s}: until an unpark, or {@code nanos} of virtual time when not negative. */
    void park(SimStrand s, Object blocker, long nanos) {
        checkMonitors(s, "parks");
        s.state = SimStrand.PARKED;
        trace.add(Trace.PARK, s, blocker, ownerOf(blocker));
        if (nanos >= 0) {
            SimStrand target = s;
            s.timer = schedule(now() + nanos, () -> {
                if (target.state == SimStrand.PARKED) {
                    target.timer = null;
                    makeRunnable(target);
                    trace.add(Trace.TIMEOUT, target, null, null);
                }
            });
        }
        if (!Coroutine.suspend()) {
            s.state = SimStrand.RUNNING;
            cancelTimer(s);
            throw pinned(s, "parked");
        }
        cancelTimer(s);
    }

    void yield(SimStrand s) {
        checkMonitors(s, "yields");
        s.yielded = true;
        makeRunnable(s);
        trace.add(Trace.YIELD, s, null, null);
        if (!Coroutine.suspend()) {
            runnable.remove(s); // cannot switch: carry on
            s.state = SimStrand.RUNNING;
        }
    }

    /** A switch point of a sync primitive, when switch points are on: the running strand yields. */
    void switchPoint() {
        SimStrand s = current;
        if (settings.switchPoints() && s != null) {
            this.yield(s);
        }
    }

    /**
     * In the monitor checking mode, a strand that parks or yields inside {@code synchronized} fails the simulation:
     * on one carrier thread the monitor would stay held across the switch.
     */
    private void checkMonitors(SimStrand s, String what) {
        if (!settings.checkMonitors()) {
            return;
        }
        String held = Coroutine.heldMonitor();
        if (held != null) {
            IllegalMonitorStateException e = new IllegalMonitorStateException("strand " + s.label() + " " + what
                    + " while holding the monitor of " + held + ": on a user-level carrier the monitor stays locked"
                    + " across the switch; use io.github.hilos.sync.Mutex instead of synchronized");
            fail("strand " + s.label() + " " + what + " while holding the monitor of " + held, e);
            throw e;
        }
    }

    private IllegalStateException pinned(SimStrand s, String what) {
        String reason = s.coroutine.lastPinnedReason();
        IllegalStateException e = new IllegalStateException("strand " + s.label() + " " + what
                + " while pinned to its carrier (" + reason + ": a monitor held, synchronized, or a native frame):"
                + " a simulation cannot switch away from it; use io.github.hilos.sync.Mutex instead of synchronized");
        fail("strand " + s.label() + " " + what + " while pinned (" + reason + ")", e);
        return e;
    }

    private void cancelTimer(SimStrand s) {
        if (s.timer != null) {
            s.timer.cancelled = true;
            s.timer = null;
        }
    }

    /** The strand a blocker is held by, when it has one: a mutex's owner, the strand a join waits for. */
    SimStrand ownerOf(Object blocker) {
        if (blocker instanceof Mutex m && m.owner() instanceof SimStrand owner && owner.world == this) {
            return owner;
        }
        if (blocker instanceof StrandCompletion c) {
            return completions.get(c);
        }
        return null;
    }

    void strandFailed(Strand strand, Throwable failure) {
        String who = strand instanceof SimStrand s ? s.label() : String.valueOf(strand);
        fail("strand " + who + " threw " + failure, failure);
    }

    void fail(String summary, Throwable cause) {
        if (failure == null) {
            failure = cause;
            failureSummary = summary;
            trace.add(Trace.FAIL, current, summary, null);
        }
    }

    // ---- timers ----

    /** A timed event of the world: a park's timeout, a packet's arrival. */
    static final class Timer implements Comparable<Timer> {
        final long deadline;
        final long seq;
        final Runnable action;
        boolean cancelled;

        Timer(long deadline, long seq, Runnable action) {
            this.deadline = deadline;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public int compareTo(Timer o) {
            int byTime = Long.compare(deadline, o.deadline);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    Timer schedule(long deadline, Runnable action) {
        Timer t = new Timer(Math.max(deadline, now), timerSeq++, action);
        timers.add(t);
        return t;
    }

    private void fireDueTimers() {
        for (Timer t; (t = timers.peek()) != null && (t.cancelled || t.deadline <= now); ) {
            timers.poll();
            if (!t.cancelled) {
                t.action.run();
            }
        }
    }

    /** Moves the clock to the next timer and fires what is due; false when there is no timer. */
    private boolean advanceTime() {
        Timer t = nextTimer();
        if (t == null) {
            return false;
        }
        if (t.deadline > now) {
            now = t.deadline;
            trace.add(Trace.TIME, null, null, null);
        }
        fireDueTimers();
        return true;
    }

    // ---- the loop ----

    private SimStrand pick() {
        int n = runnable.size();
        if (n == 0) {
            return null;
        }
        decisions++;
        int i = settings.pct() ? pctChoice() : (n == 1 ? 0 : schedule.nextInt(n));
        SimStrand s = runnable.get(i);
        runnable.set(i, runnable.get(n - 1));
        runnable.remove(n - 1);
        return s;
    }

    private int pctChoice() {
        int best = bestByPriority();
        while (nextChangePoint < changePoints.length && changePoints[nextChangePoint] <= decisions) {
            // PCT's change point: the strand that would run drops below every initial priority.
            runnable.get(best).priority = ++nextChangePoint;
            best = bestByPriority();
        }
        return best;
    }

    private int bestByPriority() {
        int best = -1;
        for (int i = 0; i < runnable.size(); i++) {
            SimStrand c = runnable.get(i);
            if (best < 0 || better(c, runnable.get(best))) {
                best = i;
            }
        }
        return best;
    }

    /** A strand that just yielded goes after the others; then higher priority; then lower id. */
    private static boolean better(SimStrand a, SimStrand b) {
        if (a.yielded != b.yielded) {
            return !a.yielded;
        }
        if (a.priority != b.priority) {
            return a.priority > b.priority;
        }
        return a.id < b.id;
    }

    private void run(SimStrand s) {
        current = s;
        s.state = SimStrand.RUNNING;
        s.yielded = false;
        steps++;
        trace.add(Trace.RUN, s, null, null);
        try {
            s.coroutine.resume();
        } finally {
            current = null;
        }
        if (s.coroutine.finished()) {
            finish(s);
        }
    }

    private void finish(SimStrand s) {
        s.state = SimStrand.DONE;
        live.remove(s.id);
        completions.remove(s.completion);
        cancelTimer(s);
        trace.add(Trace.END, s, null, null);
        s.completion.complete();
        runtime.ended();
    }

    private void drainInbox() {
        for (Runnable call; (call = inbox.poll()) != null; ) {
            call.run();
        }
    }

    private boolean overLimits() {
        if (steps > settings.maxSteps()) {
            fail("the simulation ran " + settings.maxSteps() + " steps (setting max.steps) without the body ending:"
                    + " a livelock, or a strand that never ends", new IllegalStateException("step limit reached"));
            return true;
        }
        if (now - EPOCH > settings.maxVirtualNanos()) {
            fail("the simulation passed " + settings.maxVirtualNanos() / 1_000_000_000L + " s of virtual time"
                    + " (setting max.time.s) without the body ending", new IllegalStateException("time limit reached"));
            return true;
        }
        return false;
    }

    /**
     * Runs until the body strand ends, a strand fails, the world deadlocks, or a limit is reached: the
     * deterministic mode of {@link Simulation}. On the world's thread.
     */
    void runToEnd(Runnable startBody) {
        thread = Thread.currentThread();
        startBody.run();
        while (failure == null && body.state != SimStrand.DONE) {
            drainInbox();
            fireDueTimers();
            SimStrand next = pick();
            if (next != null) {
                run(next);
                if (overLimits()) {
                    break;
                }
                continue;
            }
            if (!advanceTime()) {
                if (inbox.isEmpty()) {
                    deadlock();
                    break;
                }
            } else if (overLimits()) {
                break;
            }
        }
        if (failure == null && settings.failOnLeaks() && !live.isEmpty()) {
            StringBuilder b = new StringBuilder("strands still alive when the body returned (a leak):");
            for (SimStrand s : live.values()) {
                b.append("\n  ").append(trace.describeState(s));
            }
            fail(b.toString(), new IllegalStateException("leaked strands"));
        }
    }

    /**
     * Runs as an open runtime: until stopped, waiting for other threads when nothing can run. With {@code time=real}
     * the clock follows the real one (timers fire when their real time comes), so that other threads' timing
     * means what it says; with virtual time it jumps when nothing can run, whatever other threads are about to do.
     */
    void runOpen() {
        thread = Thread.currentThread();
        realStart = System.nanoTime();
        realClock = settings.realTime();
        while (!stopping) {
            now(); // with time=real, the clock catches up with the real one before timers are looked at
            drainInbox();
            fireDueTimers();
            SimStrand next = pick();
            if (next != null) {
                run(next);
                continue;
            }
            if (!inbox.isEmpty()) {
                continue;
            }
            if (!settings.realTime()) {
                if (!advanceTime()) {
                    LockSupport.park(this);
                }
                continue;
            }
            Timer t = nextTimer();
            if (t == null) {
                LockSupport.park(this);
            } else if (t.deadline > now) {
                LockSupport.parkNanos(this, t.deadline - now);
            }
        }
    }

    /**
     * The time strands read: virtual time; with {@code time=real} in an open runtime, the real clock read now (so
     * that a deadline taken in the middle of a strand's turn is not short by the time the turn has taken), never
     * going backwards. World thread only.
     */
    long now() {
        if (realClock) {
            now = Math.max(now, EPOCH + System.nanoTime() - realStart);
        }
        return now;
    }

    private Timer nextTimer() {
        Timer t;
        while ((t = timers.peek()) != null && t.cancelled) {
            timers.poll();
        }
        return t;
    }

    private void deadlock() {
        StringBuilder b = new StringBuilder();
        List<SimStrand> cycle = findCycle();
        if (!cycle.isEmpty()) {
            b.append("deadlock: ");
            for (int i = 0; i < cycle.size(); i++) {
                SimStrand s = cycle.get(i);
                SimStrand next = cycle.get((i + 1) % cycle.size());
                Object blocker = s.blocker();
                b.append(i == 0 ? "" : "; ").append("strand ").append(s.label()).append(" waits for ")
                        .append(trace.nameOf(blocker)).append(blocker instanceof StrandCompletion ? "" : " held by "
                                + next.label());
            }
        } else {
            b.append("deadlock: no strand can run, no timer is set and nothing is in flight on the network");
        }
        b.append("\nstrands:");
        for (SimStrand s : live.values()) {
            b.append("\n  ").append(trace.describeState(s));
        }
        fail(b.toString(), new IllegalStateException("deadlock"));
    }

    /** The first wait-for cycle, following each parked strand to the holder of what it waits for. */
    private List<SimStrand> findCycle() {
        Map<SimStrand, Integer> visitedIn = new IdentityHashMap<>();
        int walk = 0;
        for (SimStrand start : live.values()) {
            walk++;
            List<SimStrand> path = new ArrayList<>();
            for (SimStrand s = start; s != null && s.state == SimStrand.PARKED; s = ownerOf(s.blocker())) {
                Integer seen = visitedIn.putIfAbsent(s, walk);
                if (seen != null) {
                    if (seen == walk) {
                        return path.subList(path.indexOf(s), path.size());
                    }
                    break;
                }
                path.add(s);
            }
        }
        return List.of();
    }

    // ---- jacketed calls ----

    <T> T jacket(Callable<T> task) throws Exception {
        SimStrand s = current;
        trace.add(Trace.JACKET, s, null, null);
        if (settings.jacketNanos() > 0) {
            Strand.sleep(java.time.Duration.ofNanos(settings.jacketNanos()));
        }
        return task.call();
    }
}
