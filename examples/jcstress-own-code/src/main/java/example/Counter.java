package example;

import io.github.hilos.sync.Mutex;

/** The user's own code under test: a counter guarded by Hilos' strand-aware mutex. */
public final class Counter {

    private final Mutex lock = new Mutex();
    private int value;

    /** Adds one and returns the new value. */
    public int increment() {
        lock.lock();
        try {
            return ++value;
        } finally {
            lock.unlock();
        }
    }

    /** The current value. */
    public int get() {
        lock.lock();
        try {
            return value;
        } finally {
            lock.unlock();
        }
    }
}
