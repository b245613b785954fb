package io.github.hilos.server;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The application of a {@link StateTableServer}, written as states and transitions: a request starts an entry of
 * the server's table; each transition either replies (the entry leaves the table) or starts slow work
 * asynchronously and names the state in which the entry waits for it; the work's completion comes back as an
 * event matched to its entry by request id, and the machine takes the next transition from that state. No
 * transition may block: slow work goes into a {@link CompletionStage} (an asynchronous file read, a remote call,
 * {@link io.github.hilos.api.Jacket#async}).
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public interface StateMachine<I, O> {

    /**
     * The first transition of a new request.
     *
     * @param id the request's id, its key in the table
     * @param request the request
     * @return the transition
     * @throws Exception on failure: the client gets the codec's error response and the connection is closed
     */
    Transition<O> start(long id, I request) throws Exception;

    /**
     * The next transition of a waiting entry, when its work completed.
     *
     * @param id the request's id
     * @param state the state the entry waited in
     * @param result the work's result, or null if it failed
     * @param failure why the work failed, or null
     * @return the transition
     * @throws Exception on failure, as for {@link #start}
     */
    Transition<O> resume(long id, Object state, Object result, Throwable failure) throws Exception;

    /**
     * A machine of one transition: each request is answered at once by {@code service}, which must not block.
     *
     * @param service the non-blocking service
     * @param <I> the request type
     * @param <O> the response type
     * @return the machine
     */
    static <I, O> StateMachine<I, O> immediate(Service<I, O> service) {
        Objects.requireNonNull(service, "service");
        return new StateMachine<>() {
            @Override
            public Transition<O> start(long id, I request) throws Exception {
                return Transition.reply(service.handle(request));
            }

            @Override
            public Transition<O> resume(long id, Object state, Object result, Throwable failure) {
                throw new IllegalStateException("an immediate machine never waits");
            }
        };
    }

    /**
     * What an entry does next.
     *
     * @param <O> the response type
     */
    sealed interface Transition<O> {

        /**
         * Replies; the entry leaves the table.
         *
         * @param response the response
         * @param <O> the response type
         * @return the transition
         */
        static <O> Transition<O> reply(O response) {
            return new Reply<>(Objects.requireNonNull(response, "response"));
        }

        /**
         * Waits in {@code state} for {@code work}; its completion comes back to {@link #resume}.
         *
         * @param state the state to wait in (an enum constant, a record holding what the next step needs)
         * @param work the slow work, already started
         * @param <O> the response type
         * @return the transition
         */
        static <O> Transition<O> await(Object state, CompletionStage<?> work) {
            return new Await<>(Objects.requireNonNull(state, "state"), Objects.requireNonNull(work, "work"));
        }
    }

    /**
     * The reply transition.
     *
     * @param response the response
     * @param <O> the response type
     */
    record Reply<O>(O response) implements Transition<O> {
    }

    /**
     * The wait transition.
     *
     * @param state the state the entry waits in
     * @param work the slow work
     * @param <O> the response type
     */
    record Await<O>(Object state, CompletionStage<?> work) implements Transition<O> {
    }
}
