package example;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.EmbeddedConnection;
import io.github.hilos.server.Server;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyValueApiTest {

    @Test
    void inMemoryWithoutSockets() {
        EmbeddedConnection<HttpRequest, HttpResponse> c = EmbeddedConnection.of(HttpCodec.strict(),
                new KeyValueApi().router());
        c.writeInbound("PUT /keys/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        assertTrue(c.readOutboundText().startsWith("HTTP/1.1 201 "));
        c.writeInbound("GET /keys/a HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(c.readOutboundText().endsWith("\r\n\r\nhello"));
        c.writeInbound("GET /keys/b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(c.readOutboundText().startsWith("HTTP/1.1 404 "));
    }

    @Test
    void overARealSocketOnUserLevelThreads() throws Exception {
        try (StrandRuntime rt = Runtimes.open("ult");
             Server server = new KeyValueApi().start(rt, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress at = (InetSocketAddress) server.localAddress();
            HttpClient http = HttpClient.newHttpClient();
            URI key = URI.create("http://127.0.0.1:" + at.getPort() + "/keys/k");
            var put = http.send(java.net.http.HttpRequest.newBuilder(key).timeout(Duration.ofSeconds(10))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("v")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode());
            var get = http.send(java.net.http.HttpRequest.newBuilder(key).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals("v", get.body());
        }
    }
}
