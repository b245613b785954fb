/**
 * The chapter's example servers: echo and HTTP hello ({@link io.github.hilos.server.examples.Examples}), a
 * stateless file server ({@link io.github.hilos.server.examples.StaticFiles}) and a stateful one
 * ({@link io.github.hilos.server.examples.StatefulFiles}).
 */
package io.github.hilos.server.examples;
