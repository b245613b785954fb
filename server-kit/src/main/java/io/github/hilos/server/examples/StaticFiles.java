package io.github.hilos.server.examples;

import io.github.hilos.api.Jacket;
import io.github.hilos.server.FileRegion;
import io.github.hilos.server.Service;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The chapter's stateless file server over HTTP: GET and HEAD of the files under a root, each request complete in
 * itself (a client that wants part of a file names the range). Path traversal is refused: {@code ..} segments,
 * encoded or not, backslashes, NUL, and symbolic links that lead out of the root all get 403. Directories are
 * served as their {@code index.html} or refused; single byte ranges ({@code Range: bytes=a-b}, {@code a-},
 * {@code -n}) get 206, unsatisfiable ones 416. A path that cannot name a file (through a regular file, a symbolic
 * link loop, a name too long) gets 404; dotfiles ({@code .git}, {@code .env}, any segment starting with a dot)
 * get 404 unless enabled. Files are never read into memory: the response is a {@link FileRegion} the server
 * streams (in 64 KiB chunks, or with {@code transferTo} on the non-blocking servers), and a HEAD request or a
 * range reads nothing it does not send. File-system calls go through {@link Jacket#call}, so on user-level
 * runtimes only the serving strand waits for the disk.
 */
public final class StaticFiles implements Service<HttpRequest, HttpResponse> {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("pdf", "application/pdf"),
            Map.entry("xml", "application/xml"), Map.entry("md", "text/markdown; charset=utf-8"));

    private final Path root;
    private final long maxFileBytes;
    private final boolean dotfiles;

    /**
     * Serves the files under {@code root}, dotfiles excepted.
     *
     * @param root the directory served
     * @param maxFileBytes the largest file served (a larger one gets 403); files are streamed, so this bounds what
     *     a response may send, not memory
     * @throws IOException if the root is not a readable directory
     */
    public StaticFiles(Path root, long maxFileBytes) throws IOException {
        this(root, maxFileBytes, false);
    }

    /**
     * Serves the files under {@code root}.
     *
     * @param root the directory served
     * @param maxFileBytes the largest file served (a larger one gets 403)
     * @param dotfiles whether names starting with a dot are served (off by default: {@code .git}, {@code .env})
     * @throws IOException if the root is not a readable directory
     */
    public StaticFiles(Path root, long maxFileBytes, boolean dotfiles) throws IOException {
        this.dotfiles = dotfiles;
        this.root = Objects.requireNonNull(root, "root").toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new IOException("not a directory: " + root);
        }
        if (maxFileBytes <= 0) {
            throw new IllegalArgumentException("max file size must be positive: " + maxFileBytes);
        }
        this.maxFileBytes = maxFileBytes;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return HttpResponse.text(405, "method not allowed\n").header("Allow", "GET, HEAD");
        }
        String path = decode(request.path());
        if (path == null) {
            return HttpResponse.text(400, "malformed percent-encoding\n");
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0 || !path.startsWith("/")) {
            return forbidden();
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return forbidden();
            }
            if (!dotfiles && segment.startsWith(".") && !segment.equals(".")) {
                return notFound(); // not "forbidden": a dotfile's existence is not told
            }
        }
        Path file = root.resolve(path.substring(1)).normalize();
        if (!file.startsWith(root)) {
            return forbidden();
        }
        return Jacket.call(() -> serve(file, request.headers().first("Range")));
    }

    private HttpResponse serve(Path file, String range) throws IOException {
        Path real;
        try {
            real = file.toRealPath();
        } catch (FileSystemException e) {
            // no such file, a path through a regular file ("not a directory"), a symbolic link loop, a name too
            // long: whatever the reason, no file is there to serve
            return notFound();
        }
        if (!real.startsWith(root)) {
            return forbidden(); // a symbolic link out of the root
        }
        if (Files.isDirectory(real)) {
            real = real.resolve("index.html");
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return forbidden(); // no listings
            }
        }
        if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
            return forbidden();
        }
        long size = Files.size(real);
        if (size > maxFileBytes) {
            return forbidden();
        }
        String type = TYPES.getOrDefault(extension(real), "application/octet-stream");
        long[] r = range == null ? null : parseRange(range, size); // a malformed range is ignored (RFC 9110)
        if (r == null) {
            return HttpResponse.file(200, type, new FileRegion(real, 0, size)).header("Accept-Ranges", "bytes");
        }
        if (r.length == 0) {
            return HttpResponse.text(416, "range not satisfiable\n").header("Content-Range", "bytes */" + size);
        }
        return HttpResponse.file(206, type, new FileRegion(real, r[0], r[1] - r[0] + 1))
                .header("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
    }

    /** {@code [first, last]}; an empty array when unsatisfiable; null when not a single byte range (ignored). */
    static long[] parseRange(String range, long length) {
        if (!range.startsWith("bytes=") || range.indexOf(',') >= 0) {
            return null;
        }
        String spec = range.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash);
            String b = spec.substring(dash + 1);
            long first;
            long last;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    return new long[0];
                }
                first = Math.max(0, length - suffix);
                last = length - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
                if (!b.isEmpty() && Long.parseLong(b) < first) {
                    return null;
                }
            }
            if (first < 0 || first >= length) {
                return new long[0];
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Percent-decodes a path (UTF-8); null when malformed. */
    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    return null;
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static HttpResponse notFound() {
        return HttpResponse.text(404, "not found\n");
    }

    private static HttpResponse forbidden() {
        return HttpResponse.text(403, "forbidden\n");
    }
}
