package io.github.hilos.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A part of a file sent as (part of) a response without reading it into memory first: the servers stream it in
 * bounded chunks (blocking organizations, through {@code Jacket.call}) or with {@code FileChannel.transferTo}
 * (the non-blocking ones), so a response's memory does not grow with the file. The file is opened when the
 * response is written; if it has shrunk below {@code offset + length} by then, the connection is closed (its
 * framing promised bytes that are gone).
 *
 * @param path the file
 * @param offset where the part starts
 * @param length how many bytes
 */
public record FileRegion(Path path, long offset, long length) {

    /**
     * Checks the region.
     *
     * @throws IllegalArgumentException on a negative offset or length
     */
    public FileRegion {
        Objects.requireNonNull(path, "path");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("a file region needs a non-negative offset and length: " + offset
                    + ", " + length);
        }
    }
}
