package io.github.hilos.api;

/** Receives the exceptions that strands do not catch. */
@FunctionalInterface
public interface StrandExceptionHandler {

    /**
     * Called on the failed strand, after its task threw. An exception thrown from here is logged and dropped.
     *
     * @param strand the strand whose task threw
     * @param failure what it threw
     */
    void uncaught(Strand strand, Throwable failure);

    /**
     * Returns the default handler, which logs through {@link System.Logger} {@code io.github.hilos} at
     * {@code ERROR}, naming the strand.
     *
     * @return the logging handler
     */
    static StrandExceptionHandler logging() {
        return (strand, failure) -> System.getLogger("io.github.hilos")
                .log(System.Logger.Level.ERROR, "uncaught exception in strand " + strand, failure);
    }
}
