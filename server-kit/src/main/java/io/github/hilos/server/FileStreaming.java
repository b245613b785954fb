package io.github.hilos.server;

import io.github.hilos.api.Jacket;
import io.github.hilos.net.StrandSocket;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Sends a {@link FileRegion} over a strand socket in bounded chunks: each chunk is read with a jacketed call (file
 * reads block), then written (parking the strand while the client is slow). One 64 KiB buffer per response in
 * flight, whatever the file's size.
 */
public final class FileStreaming {

    /** The chunk size: the most file bytes a response in flight holds in memory. */
    public static final int CHUNK_BYTES = 64 * 1024;

    private FileStreaming() {
    }

    /**
     * Sends the region.
     *
     * @param file the region
     * @param out the socket
     * @throws IOException if reading or writing fails, or the file is shorter than the region (the connection
     *     must then be closed: its framing promised more bytes)
     */
    public static void send(FileRegion file, StrandSocket out) throws IOException {
        try (FileChannel channel = jacketed(() -> FileChannel.open(file.path(), StandardOpenOption.READ))) {
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(1, file.length())));
            long position = file.offset();
            long end = file.offset() + file.length();
            while (position < end) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
                long at = position;
                int n = jacketed(() -> channel.read(chunk, at));
                if (n < 0) {
                    throw new EOFException(file.path() + " ended at " + position + ", before " + end
                            + " (it shrank after the response was framed)");
                }
                position += n;
                chunk.flip();
                out.write(chunk);
            }
        }
    }

    private interface FileCall<T> {
        T call() throws IOException;
    }

    private static <T> T jacketed(FileCall<T> call) throws IOException {
        try {
            return Jacket.call(call::call);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            io.github.hilos.api.Strand.current().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading a file to send");
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
