/**
 * jcstress tests of Hilos' primitives. Actors are jcstress's own threads, which Hilos sees as strands of
 * themselves ({@link io.github.hilos.api.Strand#current()} on a plain thread): the same thread-backed strand
 * that runtime {@code klt} uses, so these run the primitives on the {@code klt} park/unpark path. Termination
 * tests check liveness (a parked strand that must wake); arbiter tests check safety (exclusion, exactly-once).
 */
package io.github.hilos.stress;
