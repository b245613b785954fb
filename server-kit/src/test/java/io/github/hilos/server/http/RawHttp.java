package io.github.hilos.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A raw-socket HTTP/1.1 client for tests: sends bytes as they are, parses what comes back. */
final class RawHttp {

    private RawHttp() {
    }

    /** A parsed response. */
    record Response(int status, List<String> headers, byte[] body) {
        String header(String name) {
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (h.substring(0, colon).equalsIgnoreCase(name)) {
                    return h.substring(colon + 1).strip();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The responses to what was sent, and whether the server closed the connection after them. */
    record Exchange(List<Response> responses, boolean closed) {
        Response only() {
            if (responses.size() != 1) {
                throw new AssertionError("expected one response, got " + responses);
            }
            return responses.get(0);
        }
    }

    static Socket connect(SocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /**
     * Sends {@code request}, then reads {@code expected} responses (HEAD ones without bodies when {@code head}).
     * After a {@code Connection: close} response, the server must close at once (reads within 10 s); after a
     * kept-alive one, a read waits half a second to see that it does not.
     */
    static Exchange exchange(SocketAddress address, byte[] request, int expected, boolean head) throws IOException {
        try (Socket s = connect(address)) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            List<Response> responses = new ArrayList<>();
            for (int i = 0; i < expected; i++) {
                Response r = read(in, head);
                if (r == null) {
                    return new Exchange(responses, true);
                }
                responses.add(r);
                if ("close".equalsIgnoreCase(r.header("Connection"))) {
                    break;
                }
            }
            boolean closing = responses.isEmpty()
                    || "close".equalsIgnoreCase(responses.get(responses.size() - 1).header("Connection"));
            s.setSoTimeout(closing ? 10_000 : 500);
            boolean closed;
            try {
                closed = in.read() < 0;
            } catch (java.net.SocketTimeoutException open) {
                closed = false;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            return new Exchange(responses, closed);
        }
    }

    static Exchange exchange(SocketAddress address, String request) throws IOException {
        return exchange(address, request.getBytes(StandardCharsets.ISO_8859_1), 1, request.startsWith("HEAD"));
    }

    /** Reads one response; null at end of stream before it. Skips 1xx interim responses. */
    static Response read(InputStream in, boolean head) throws IOException {
        for (;;) {
            String statusLine = line(in);
            if (statusLine == null) {
                return null;
            }
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not a status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            List<String> headers = new ArrayList<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                headers.add(h);
            }
            if (status < 200) {
                continue;
            }
            int length = 0;
            for (String h : headers) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).strip());
                }
            }
            byte[] body = head ? new byte[0] : in.readNBytes(length);
            return new Response(status, headers, body);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
