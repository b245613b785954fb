/**
 * Sockets whose blocking operations park only the strand: {@link io.github.hilos.net.StrandServerSocket},
 * {@link io.github.hilos.net.StrandSocket}, and {@link io.github.hilos.net.StrandSelector} for one strand that
 * multiplexes non-blocking channels. On user-level runtimes they wait on the carrier's own poller.
 */
package io.github.hilos.net;
