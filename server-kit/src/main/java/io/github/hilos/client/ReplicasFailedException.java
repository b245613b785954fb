package io.github.hilos.client;

/** Every attempt at every replica failed and there was no cached answer; the failures are suppressed in it. */
public final class ReplicasFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception.
     *
     * @param message what was tried
     */
    public ReplicasFailedException(String message) {
        super(message);
    }
}
