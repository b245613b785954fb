package io.github.hilos.client;

import java.util.Objects;

/**
 * One replica of a service: a name (for logs and replies) and how to call it.
 *
 * @param name the replica's name
 * @param call how to call it
 * @param <Q> the request type
 * @param <R> the response type
 */
public record Replica<Q, R>(String name, Call<Q, R> call) {

    /**
     * Checks the replica.
     *
     * @throws NullPointerException on a null name or call
     */
    public Replica {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(call, "call");
    }
}
