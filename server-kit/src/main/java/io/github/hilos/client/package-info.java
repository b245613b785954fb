/**
 * The client side of the chapter: {@link io.github.hilos.client.ParallelFetch} (parallel requests, a page and its
 * parts) and {@link io.github.hilos.client.ReplicatedClient} (replicas, failover, retries within a
 * {@link io.github.hilos.client.RetryBudget}, hedging, a stale fallback).
 */
package io.github.hilos.client;
