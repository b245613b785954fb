package io.github.hilos.server.http;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Codecs;
import io.github.hilos.server.EmbeddedConnection;
import io.github.hilos.server.IterativeServer;
import io.github.hilos.server.OneDispatcherServer;
import io.github.hilos.server.Server;
import io.github.hilos.server.ServerLimits;
import io.github.hilos.server.StateMachine;
import io.github.hilos.server.StateTableServer;
import io.github.hilos.server.ThreadPerConnectionServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The router, driven through an in-memory connection; and one {@code Server} type over every organization. */
class RouterAndEmbeddedConnectionTest {

    static final SocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static HttpRouter api() {
        return HttpRouter.builder()
                .get("/users/{id}", r -> HttpResponse.ok("user " + r.pathParam("id") + " sort="
                        + r.queryParam("sort") + " tags=" + r.query().get("tag")))
                .post("/users", r -> HttpResponse.text(201, "created " + r.request().body().length))
                .get("/files/{path...}", r -> HttpResponse.ok("file " + r.pathParam("path")))
                .get("/", r -> HttpResponse.ok("home"))
                .build();
    }

    static String status(String response) {
        return response.substring(9, 12);
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void routesByMethodAndPatternWithDecodedParametersAndQuery() {
        EmbeddedConnection<HttpRequest, HttpResponse> c = EmbeddedConnection.of(HttpCodec.strict(), api());
        c.writeInbound("GET /users/J%C3%BCrgen?sort=name+asc&tag=a&tag=b%26c HTTP/1.1\r\nHost: x\r\n\r\n");
        String r = c.readOutboundText();
        assertEquals("200", status(r));
        assertEquals("user Jürgen sort=name asc tags=[a, b&c]", body(r));
        c.writeInbound("GET /files/a/b%20c.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("file a/b c.txt", body(c.readOutboundText()));
        c.writeInbound("POST /users HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals("created 3", body(c.readOutboundText()));
        c.writeInbound("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("home", body(c.readOutboundText()));
        c.writeInbound("GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("404", status(c.readOutboundText()));
        c.writeInbound("DELETE /users/7 HTTP/1.1\r\nHost: x\r\n\r\n");
        String notAllowed = c.readOutboundText();
        assertEquals("405", status(notAllowed));
        assertTrue(notAllowed.contains("Allow: GET, HEAD\r\n"), notAllowed);
        c.writeInbound("HEAD /users/7 HTTP/1.1\r\nHost: x\r\n\r\n");
        String head = c.readOutboundText();
        assertEquals("200", status(head));
        assertEquals("", body(head), "HEAD is served by the GET route, without the body");
        c.writeInbound("GET /users/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("400", status(c.readOutboundText()));
        assertTrue(c.isOpen());
        assertEquals(8, c.requests());
        assertThrows(IllegalArgumentException.class, () -> HttpRouter.builder().get("/a/{rest...}/b", req -> null));
        assertThrows(IllegalArgumentException.class, () -> HttpRouter.builder().get("no-slash", req -> null));
    }

    @Test
    void anEmbeddedConnectionEndsAsARealOneWould() {
        EmbeddedConnection<HttpRequest, HttpResponse> pipelined = EmbeddedConnection.of(HttpCodec.strict(), api());
        pipelined.writeInbound("GET /users/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /users/2 HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        String both = pipelined.readOutboundText();
        assertTrue(both.indexOf("user 1") < both.indexOf("user 2"), "answered in order: " + both);
        assertFalse(pipelined.isOpen(), "Connection: close ends it");
        assertThrows(IllegalStateException.class, () -> pipelined.writeInbound("GET / HTTP/1.1\r\n\r\n"));

        EmbeddedConnection<HttpRequest, HttpResponse> malformed = EmbeddedConnection.of(HttpCodec.strict(), api());
        malformed.writeInbound("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        assertEquals("400", status(malformed.readOutboundText()));
        assertFalse(malformed.isOpen());

        EmbeddedConnection<String, String> lines = EmbeddedConnection.of(Codecs.lines(64), line -> {
            if (line.equals("boom")) {
                throw new IllegalStateException("a secret detail");
            }
            return line.toUpperCase(java.util.Locale.ROOT);
        });
        lines.writeInbound("hel");
        assertEquals("", lines.readOutboundText(), "half a line: nothing yet");
        lines.writeInbound("lo\nworld\n");
        assertEquals("HELLO\nWORLD\n", lines.readOutboundText());
        lines.writeInbound("boom\n");
        assertEquals("ERR internal error\n", lines.readOutboundText());
        assertFalse(lines.isOpen());
    }

    @Test
    void everyOrganizationIsAServer() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult")) {
            List<Server> servers = new ArrayList<>();
            servers.add(IterativeServer.start(rt, ANY, HttpCodec.strict(), api()));
            servers.add(ThreadPerConnectionServer.start(rt, ANY, HttpCodec.strict(), api()));
            servers.add(io.github.hilos.server.DispatcherWorkerServer.start(rt, ANY, HttpCodec.strict(), api(), 2, 16));
            servers.add(OneDispatcherServer.start(rt, ANY, HttpCodec.strict(), api(), 2, 16, ServerLimits.DEFAULTS));
            servers.add(StateTableServer.start(rt, ANY, HttpCodec.strict(), StateMachine.immediate(api())));
            for (Server s : servers) {
                RawHttp.Exchange e = RawHttp.exchange(s.localAddress(),
                        "GET /users/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertEquals(200, e.only().status(), s.getClass().getSimpleName());
                Tck.awaitCondition(s + " counted the request", () -> s.stats().requests() >= 1);
                SocketAddress before = s.localAddress();
                s.shutdown(Duration.ofSeconds(1));
                assertEquals(before, s.localAddress(), "the address is known after the shutdown too");
                s.close();
            }
        }
    }

    private static final class Tck {
        static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
            io.github.hilos.tck.Tck.awaitCondition(what, condition);
        }
    }
}
