package io.github.hilos.server.tutorial;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.StrandServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tutorial works, and the docs show it as it is (under 60 lines). */
class KeyValueServerTest {

    @Test
    void theTutorialServerStoresAndAnswers() throws Exception {
        try (StrandRuntime rt = Runtimes.open("hybrid");
             StrandServer<String, String> server = KeyValueServer.start(rt,
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket s = new Socket()) {
            s.connect(server.localAddress(), 10_000);
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.println("SET greeting hello world");
            assertEquals("OK", in.readLine());
            out.println("GET greeting");
            assertEquals("hello world", in.readLine());
            out.println("DEL greeting");
            assertEquals("OK", in.readLine());
            out.println("GET greeting");
            assertEquals("NIL", in.readLine());
            out.println("FLY");
            assertEquals("ERR unknown command FLY", in.readLine());
        }
    }

    @Test
    void theDocsQuoteTheTutorialAndItIsUnderSixtyLines() throws Exception {
        Path source = Path.of("src/test/java/io/github/hilos/server/tutorial/KeyValueServer.java");
        String code = Files.readString(source);
        String docs = Files.readString(Path.of("../docs/server-kit.md"));
        String body = code.substring(code.indexOf("public final class KeyValueServer"));
        assertTrue(docs.contains(body.strip()), "docs/server-kit.md quotes KeyValueServer.java from its class line");
        assertTrue(code.lines().count() < 60, "the tutorial is " + code.lines().count() + " lines");
    }
}
