package io.github.hilos.server.examples;

import io.github.hilos.api.Jacket;
import io.github.hilos.sync.Mutex;
import io.github.hilos.server.Service;
import io.github.hilos.server.SessionService;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The chapter's stateful file server, on a small line protocol (use with {@code Codecs.lines}); each connection
 * has its own table of open files, kept by the server:
 * <pre>
 * OPEN path          -> OK handle           (a file under the root, read-only)
 * READ handle n      -> DATA base64 | EOF    (up to n bytes, at most 64 KiB, from the handle's position)
 * SEEK handle pos    -> OK pos
 * CLOSE handle       -> OK
 * anything wrong     -> ERR reason
 * </pre>
 * Handles are small integers that live as long as their connection: the table is closed with it. So after a
 * server restart a client's handles mean nothing: its connection is gone, and on a new one {@code READ 1} answers
 * {@code ERR no open file 1 (handles live as long as their connection; OPEN again)} — the state a stateless server
 * never has to rebuild. Files are read through {@link Jacket#call}.
 */
public final class StatefulFiles implements SessionService<String, String> {

    /** The most files one connection may hold open. */
    public static final int MAX_OPEN = 64;
    /** The most files the whole server holds open by default, over all connections. */
    public static final int DEFAULT_MAX_OPEN_PER_SERVER = 1024;
    private static final int MAX_READ = 64 * 1024;

    private final Path root;
    private final int maxOpenPerServer;
    /** Files open over every session; a session counts up on OPEN and down on CLOSE and at its end. */
    private final java.util.concurrent.atomic.AtomicInteger openOnServer = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Serves the files under {@code root}.
     *
     * @param root the directory
     * @throws IOException if it is not a directory
     */
    public StatefulFiles(Path root) throws IOException {
        this(root, DEFAULT_MAX_OPEN_PER_SERVER);
    }

    /**
     * Serves the files under {@code root}, holding at most {@code maxOpenPerServer} files open over all
     * connections: past it, {@code OPEN} answers {@code ERR} (a per-connection cap alone lets many connections
     * from one address run the process out of file descriptors, and then accept fails for everyone).
     *
     * @param root the directory
     * @param maxOpenPerServer the most files open at once on this server; positive
     * @throws IOException if it is not a directory
     */
    public StatefulFiles(Path root, int maxOpenPerServer) throws IOException {
        if (maxOpenPerServer <= 0) {
            throw new IllegalArgumentException("max open files per server must be positive: " + maxOpenPerServer);
        }
        this.maxOpenPerServer = maxOpenPerServer;
        this.root = Objects.requireNonNull(root, "root").toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new IOException("not a directory: " + root);
        }
    }

    @Override
    public Service<String, String> openSession() {
        return new Session();
    }

    /** One connection's open-file table. Used by that connection's strand only. */
    private final class Session implements Service<String, String>, AutoCloseable {
        private final Map<Integer, FileChannel> open = new HashMap<>();
        /**
         * Orders {@link #handle} and {@link #close}: a connection's end may close the table while a worker answers.
         * A strand-aware lock, not {@code synchronized}: {@code handle} waits in jacketed file calls, and a monitor
         * held across that wait would block a user-level carrier for every strand on it.
         */
        private final Mutex lock = new Mutex();
        private int nextHandle = 1;

        @Override
        public String handle(String line) throws Exception {
            lock.lock();
            try {
                return answer(line);
            } finally {
                lock.unlock();
            }
        }

        private String answer(String line) throws Exception {
            String[] w = line.strip().split(" +");
            try {
                return switch (w[0]) {
                    case "OPEN" -> w.length == 2 ? open(w[1]) : "ERR usage: OPEN path";
                    case "READ" -> w.length == 3 ? read(handleOf(w[1]), Integer.parseInt(w[2])) : "ERR usage: READ handle n";
                    case "SEEK" -> w.length == 3 ? seek(handleOf(w[1]), Long.parseLong(w[2])) : "ERR usage: SEEK handle pos";
                    case "CLOSE" -> w.length == 2 ? close(handleOf(w[1])) : "ERR usage: CLOSE handle";
                    default -> "ERR unknown command " + w[0];
                };
            } catch (NumberFormatException e) {
                return "ERR not a number: " + e.getMessage();
            } catch (NoOpenFile e) {
                return "ERR no open file " + e.handle + " (handles live as long as their connection; OPEN again)";
            }
        }

        private int handleOf(String word) throws NoOpenFile {
            int h = Integer.parseInt(word);
            if (!open.containsKey(h)) {
                throw new NoOpenFile(h);
            }
            return h;
        }

        private String open(String name) throws Exception {
            if (open.size() >= MAX_OPEN) {
                return "ERR too many open files (" + MAX_OPEN + ")";
            }
            if (openOnServer.incrementAndGet() > maxOpenPerServer) {
                openOnServer.decrementAndGet();
                return "ERR the server has too many open files (" + maxOpenPerServer + "); CLOSE some or retry later";
            }
            boolean opened = false;
            try {
                String answer = openCounted(name);
                opened = answer.startsWith("OK");
                return answer;
            } finally {
                if (!opened) {
                    openOnServer.decrementAndGet();
                }
            }
        }

        private String openCounted(String name) throws Exception {
            Path file;
            try {
                file = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                return "ERR not a path: " + e.getReason();
            }
            if (!file.startsWith(root)) {
                return "ERR outside the root";
            }
            FileChannel channel;
            try {
                channel = Jacket.call(() -> {
                    Path real = file.toRealPath();
                    if (!real.startsWith(root) || !Files.isRegularFile(real)) {
                        throw new IOException("not a file under the root");
                    }
                    return FileChannel.open(real, StandardOpenOption.READ);
                });
            } catch (IOException e) {
                return "ERR cannot open " + name + ": " + e.getClass().getSimpleName();
            }
            int h = nextHandle++;
            open.put(h, channel);
            return "OK " + h;
        }

        private String read(int h, int n) throws Exception {
            if (n <= 0 || n > MAX_READ) {
                return "ERR read size must be in 1.." + MAX_READ;
            }
            FileChannel channel = open.get(h);
            ByteBuffer b = ByteBuffer.allocate(n);
            int got = Jacket.call(() -> channel.read(b));
            if (got < 0) {
                return "EOF";
            }
            b.flip();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return "DATA " + Base64.getEncoder().encodeToString(bytes);
        }

        private String seek(int h, long pos) throws Exception {
            if (pos < 0) {
                return "ERR negative position";
            }
            FileChannel channel = open.get(h);
            long size = Jacket.call(channel::size);
            if (pos > size) {
                return "ERR position " + pos + " is beyond the end of the file (" + size + " bytes)";
            }
            channel.position(pos);
            return "OK " + pos;
        }

        private String close(int h) throws IOException {
            try {
                open.remove(h).close();
            } finally {
                openOnServer.decrementAndGet();
            }
            return "OK";
        }

        @Override
        public void close() {
            lock.lock();
            try {
                for (FileChannel c : open.values()) {
                    try {
                        c.close();
                    } catch (IOException e) {
                        // closing the rest anyway
                    }
                }
                openOnServer.addAndGet(-open.size());
                open.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    private static final class NoOpenFile extends Exception {
        private static final long serialVersionUID = 1L;
        final int handle;

        NoOpenFile(int handle) {
            super(null, null, false, false);
            this.handle = handle;
        }
    }
}
