package io.github.hilos.server.http;

import java.io.IOException;

/** A request the HTTP codec refuses, with the status it answers; the connection is then closed. */
public final class HttpException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Makes the refusal.
     *
     * @param status the status to answer (400, 408, 413, 414, 417, 431, 501, 505)
     * @param reason why, for the response body and logs
     */
    public HttpException(int status, String reason) {
        super(status + " " + reason);
        this.status = status;
    }

    /**
     * Returns the status.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }
}
