package io.github.hilos.server;

import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.Tck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listener closed behind the server's back (not by a shutdown) is a fatal state: the server says so once and in
 * its stats, stops accepting instead of retrying forever, and still serves the connections it has.
 */
class ListenerGoneTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Closes the server's listener as a fault would (the field is the server's own: reached by reflection). */
    private static void closeListener(Object server, Class<?> declaring) throws Exception {
        java.lang.reflect.Field f = declaring.getDeclaredField("listener");
        f.setAccessible(true);
        ((java.io.Closeable) f.get(server)).close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread-per-connection", "state-table"})
    void aLostListenerShowsInTheStatsAndOpenConnectionsAreStillServed(String organization) throws Exception {
        try (StrandRuntime rt = OrganizationsTest.open("ult");
             Server server = organization.equals("state-table")
                     ? StateTableServer.start(rt, ANY, Codecs.lines(64), StateMachine.immediate(l -> "echo " + l))
                     : ThreadPerConnectionServer.start(rt, ANY, Codecs.lines(64), l -> "echo " + l);
             Socket open = new Socket()) {
            open.connect(server.localAddress(), 10_000);
            open.setSoTimeout(10_000);
            PrintWriter out = new PrintWriter(open.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(open.getInputStream(), StandardCharsets.UTF_8));
            out.println("one");
            assertEquals("echo one", in.readLine());
            assertTrue(server.stats().accepting());
            closeListener(server, server instanceof StateTableServer ? StateTableServer.class : StrandServer.class);
            Tck.awaitCondition("the stats say the server no longer accepts", () -> !server.stats().accepting());
            out.println("two");
            assertEquals("echo two", in.readLine(), "a connection it has is still served");
        }
    }
}
