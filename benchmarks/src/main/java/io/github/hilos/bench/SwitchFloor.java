package io.github.hilos.bench;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

import java.util.ArrayDeque;

/**
 * The floor of the user-level switch path on this machine: the chapter's two operations on a sixty-line N:1
 * loop of raw JDK continuations (an {@code ArrayDeque} run queue, a done flag and one joiner per task, a
 * semaphore of a counter and one waiter), with nothing of what a real runtime carries (ids, names, locals,
 * cross-thread wake-ups, timers, a poller). Measured in the same run as Hilos, so that {@code ult}'s cost can be
 * stated as a ratio to it. Benchmark code only: Hilos itself touches {@code jdk.internal.vm} in one class of
 * ult-runtime. Not thread-safe: one thread runs it.
 */
public final class SwitchFloor {

    private static final ContinuationScope SCOPE = new ContinuationScope("floor");

    private final ArrayDeque<Task> runQueue = new ArrayDeque<>();
    private Task current;

    private final class Task {
        final Continuation continuation;
        boolean done;
        Task joiner;

        Task(Runnable body) {
            this.continuation = new Continuation(SCOPE, () -> {
                body.run();
                done = true;
                if (joiner != null) {
                    runQueue.addLast(joiner);
                }
            });
        }

        void join() {
            while (!done) {
                joiner = current;
                Continuation.yield(SCOPE);
            }
        }
    }

    private final class Counter {
        int permits;
        Task waiter;

        void acquire() {
            while (permits == 0) {
                waiter = current;
                Continuation.yield(SCOPE);
            }
            permits--;
        }

        void release() {
            permits++;
            Task w = waiter;
            if (w != null) {
                waiter = null;
                runQueue.addLast(w);
            }
        }
    }

    /** A floor with an empty run queue; one thread uses it. */
    public SwitchFloor() {
    }

    private Task spawn(Runnable body) {
        Task t = new Task(body);
        runQueue.addLast(t);
        return t;
    }

    private void runToEnd(Runnable main) {
        spawn(main);
        for (Task t; (t = runQueue.pollFirst()) != null; ) {
            current = t;
            t.continuation.run();
        }
        current = null;
    }

    /**
     * Null fork as {@code ./hilos table} measures it: a task spawns {@code size} empty tasks, then joins them.
     *
     * @param size how many tasks
     */
    public void nullFork(int size) {
        Task[] tasks = new Task[size];
        runToEnd(() -> {
            for (int i = 0; i < size; i++) {
                tasks[i] = spawn(ChapterTable.Nothing.INSTANCE);
            }
            for (Task t : tasks) {
                t.join();
            }
        });
    }

    /**
     * Signal-wait: two tasks alternately release and acquire two semaphores, {@code size} round trips.
     *
     * @param size how many round trips
     */
    public void signalWait(int size) {
        Counter ping = new Counter();
        Counter pong = new Counter();
        runToEnd(() -> {
            Task partner = spawn(() -> {
                for (int i = 0; i < size; i++) {
                    ping.acquire();
                    pong.release();
                }
            });
            for (int i = 0; i < size; i++) {
                ping.release();
                pong.acquire();
            }
            partner.join();
        });
    }
}
