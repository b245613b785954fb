/**
 * The seam between the N:1 runtime and an M:N scheduler: {@code ult-runtime} keeps the carrier (its loop,
 * strands, timers, poller, jacketing) and asks a {@link io.github.hilos.ult.seam.Placement} where unstarted
 * strands go; {@code hybrid-scheduler} provides the work-stealing one. Exported to {@code io.github.hilos.hybrid}
 * only: not public API.
 */
package io.github.hilos.ult.seam;
