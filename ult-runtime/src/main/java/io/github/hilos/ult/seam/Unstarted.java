package io.github.hilos.ult.seam;

/**
 * A strand that has not run yet, as a {@link Placement} handles it: opaque, moved between queues and carriers until
 * a carrier adopts it for life (a started strand never changes carrier).
 */
public interface Unstarted {
}
