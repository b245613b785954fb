package io.github.hilos.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BOM has no parent (so that importing it imports no other versions), which leaves three things to keep in step
 * by hand: its version and the parent's, the library modules it lists, and the release plugins it repeats. This
 * test keeps them in step; it runs in the last module of the build, where both POMs are one directory up.
 */
class BomTest {

    private static final Path ROOT = Path.of("..");
    /** Modules that are not published, hence not in the BOM. */
    private static final List<String> UNPUBLISHED = List.of("hilos-bom", "stress-tests", "benchmarks");

    @Test
    void theBomMovesWithTheParentAndListsEveryPublishedModule() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("hilos-bom/pom.xml"));
        assertEquals(versionAfter(parent, "hilos-parent"), versionAfter(bom, "hilos-bom"),
                "hilos-bom/pom.xml's version must be the parent's");
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"));
        for (String module : all(parent, "<module>([^<]+)</module>")) {
            if (!UNPUBLISHED.contains(module)) {
                assertTrue(managed.contains("<artifactId>" + module + "</artifactId>"),
                        "hilos-bom/pom.xml does not list the published module " + module);
            }
        }
        for (String version : all(managed, "<version>([^<]+)</version>")) {
            assertEquals("${project.version}", version, "the BOM's modules take the BOM's own version");
        }
        assertEquals(property(parent, "gpg.plugin.version"), versionAfter(bom, "maven-gpg-plugin"),
                "the BOM's release profile signs with the parent's gpg plugin version");
        assertEquals(property(parent, "central.plugin.version"), versionAfter(bom, "central-publishing-maven-plugin"),
                "the BOM's release profile publishes with the parent's Central plugin version");
    }

    private static String versionAfter(String pom, String artifactId) {
        Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)"
                + "</version>").matcher(pom);
        assertTrue(m.find(), "no version after " + artifactId);
        return m.group(1);
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertTrue(m.find(), "no property " + name);
        return m.group(1);
    }

    private static List<String> all(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
