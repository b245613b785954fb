package io.github.hilos.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * File I/O that blocks only the calling strand: each operation goes through {@link Jacket#call}, so on a
 * user-level runtime it runs on the jacket pool while the carrier runs other strands; on kernel-thread runtimes
 * it simply runs. Failures surface as the {@link IOException} the JDK threw.
 */
public final class JacketedFiles {

    private JacketedFiles() {
    }

    /**
     * Reads a whole file.
     *
     * @param file the file
     * @return its bytes
     * @throws IOException as {@link Files#readAllBytes}
     * @throws InterruptedException if the strand is interrupted while waiting
     */
    public static byte[] readAllBytes(Path file) throws IOException, InterruptedException {
        Objects.requireNonNull(file, "file");
        return call(() -> Files.readAllBytes(file));
    }

    /**
     * Reads a whole file as text.
     *
     * @param file the file
     * @param charset its encoding
     * @return its text
     * @throws IOException as {@link Files#readString(Path, Charset)}
     * @throws InterruptedException if the strand is interrupted while waiting
     */
    public static String readString(Path file, Charset charset) throws IOException, InterruptedException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(charset, "charset");
        return call(() -> Files.readString(file, charset));
    }

    /**
     * Writes bytes to a file.
     *
     * @param file the file
     * @param bytes the content
     * @param options as {@link Files#write(Path, byte[], OpenOption...)}
     * @throws IOException as {@link Files#write(Path, byte[], OpenOption...)}
     * @throws InterruptedException if the strand is interrupted while waiting
     */
    public static void write(Path file, byte[] bytes, OpenOption... options) throws IOException, InterruptedException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytes, "bytes");
        call(() -> Files.write(file, bytes, options));
    }

    /**
     * Writes text to a file in UTF-8.
     *
     * @param file the file
     * @param text the content
     * @param options as {@link Files#writeString(Path, CharSequence, OpenOption...)}
     * @throws IOException as {@link Files#writeString(Path, CharSequence, OpenOption...)}
     * @throws InterruptedException if the strand is interrupted while waiting
     */
    public static void writeString(Path file, CharSequence text, OpenOption... options)
            throws IOException, InterruptedException {
        Objects.requireNonNull(text, "text");
        write(file, text.toString().getBytes(StandardCharsets.UTF_8), options);
    }

    /**
     * Reads from a file channel at a position, without moving the channel's position: several strands may read
     * one channel at once.
     *
     * @param channel the channel
     * @param dst where to read into
     * @param position the file position
     * @return the bytes read, -1 at end of file
     * @throws IOException as {@link FileChannel#read(ByteBuffer, long)}
     * @throws InterruptedException if the strand is interrupted while waiting
     */
    public static int read(FileChannel channel, ByteBuffer dst, long position) throws IOException, InterruptedException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(dst, "buffer");
        if (position < 0) {
            throw new IllegalArgumentException("file position must not be negative: " + position);
        }
        return call(() -> channel.read(dst, position));
    }

    private static <T> T call(Callable<T> io) throws IOException, InterruptedException {
        try {
            return Jacket.call(io);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Exception other) {
            throw new UncheckedIOException(new IOException(other));
        }
    }
}
