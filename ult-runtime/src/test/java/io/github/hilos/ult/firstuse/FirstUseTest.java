package io.github.hilos.ult.firstuse;


import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-time costs (class initialization, JFR registration) stay out of a strand's path on its carrier: the first
 * jacketed call, timer, socket, selector and dump of a fresh JVM do not hold the carrier in a static initializer
 * or in the flight recorder. The probe runs in its own JVM, since a class initializes once per JVM and this
 * test JVM has run everything already. The check is on what the stalled carrier was doing (its stack), not on
 * how long it took.
 */
public class FirstUseTest {

    /** For JUnit, and for runtime modules that run the probe on their own runtime. */
    public FirstUseTest() {
    }

    /**
     * Returns the runtime the probe opens; hybrid-scheduler's subclass runs it on {@code hybrid}.
     *
     * @return the runtime's name
     */
    protected String runtimeName() {
        return "ult";
    }

    @Test
    void firstUsesDoNotInitializeClassesOnTheCarrier() throws Exception {
        for (String runtime : List.of(runtimeName())) {
            List<String> out = runProbe(runtime);
            assertEquals("DONE", out.getLast(), "the probe ran to its end: " + out);
            assertTrue(out.contains("COMPENSATIONS 0"), runtime + ": no spare carrier was started: " + out);
            for (String line : out) {
                if (line.startsWith("STALL")) {
                    assertTrue(!line.contains("<clinit>") && !line.contains(" jdk.jfr."),
                            runtime + ": a one-time cost ran on the carrier in a strand's path: " + line);
                }
            }
        }
    }

    private static List<String> runProbe(String runtime) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), FirstUseProbe.class.getName(), runtime));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe ended");
        assertEquals(0, p.exitValue(), "probe exit status; output: " + lines);
        return lines;
    }
}
