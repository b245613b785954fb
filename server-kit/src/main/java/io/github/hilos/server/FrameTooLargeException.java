package io.github.hilos.server;

import java.io.IOException;
import java.io.Serial;

/** A frame (a line, a length-prefixed message) exceeded the codec's limit; the connection is then closed. */
public final class FrameTooLargeException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception.
     *
     * @param message what exceeded which limit
     */
    public FrameTooLargeException(String message) {
        super(message);
    }
}
