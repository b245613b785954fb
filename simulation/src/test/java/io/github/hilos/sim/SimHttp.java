package io.github.hilos.sim;

import io.github.hilos.net.StrandSocket;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A minimal HTTP/1.1 and line client over simulated sockets, for the tests. */
final class SimHttp {

    private final StrandSocket socket;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private final java.time.Duration readTimeout;

    SimHttp(StrandSocket socket) {
        this(socket, null);
    }

    SimHttp(StrandSocket socket, java.time.Duration readTimeout) {
        this.socket = socket;
        this.readTimeout = readTimeout;
        in.flip();
    }

    void send(String text) throws IOException {
        socket.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Reads one response to a GET and returns its status and body as {@code "200 body"}. */
    String readResponse() throws IOException {
        String head = readUntil("\r\n\r\n");
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        StringBuilder body = new StringBuilder();
        while (body.length() < length) {
            fill();
            int take = Math.min(in.remaining(), length - body.length());
            for (int i = 0; i < take; i++) {
                body.append((char) in.get());
            }
        }
        return status + " " + body;
    }

    String readLine() throws IOException {
        return readUntil("\n").strip();
    }

    private String readUntil(String end) throws IOException {
        StringBuilder b = new StringBuilder();
        for (;;) {
            fill();
            b.append((char) in.get());
            if (b.length() >= end.length() && b.lastIndexOf(end) == b.length() - end.length()) {
                return b.toString();
            }
        }
    }

    private void fill() throws IOException {
        if (in.hasRemaining()) {
            return;
        }
        in.clear();
        int n = readTimeout == null ? socket.read(in) : socket.read(in, readTimeout);
        in.flip();
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
    }
}
