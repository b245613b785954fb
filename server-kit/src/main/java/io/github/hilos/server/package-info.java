/**
 * The server organizations of the chapter, each a {@link io.github.hilos.server.Server}: iterative,
 * thread-per-connection, dispatcher/worker, one-dispatcher and state-table, plus the
 * {@link io.github.hilos.server.SuperServer}; {@link io.github.hilos.server.Codec}s with limits,
 * {@link io.github.hilos.server.ServerLimits}, and {@link io.github.hilos.server.EmbeddedConnection} to test a codec
 * and a service in memory.
 */
package io.github.hilos.server;
