package io.github.hilos.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the optional peer programs ({@code wrk}, {@code go}) on the {@code PATH}. */
final class PathCommands {

    private PathCommands() {
    }

    /**
     * Looks a command up on the {@code PATH}.
     *
     * @param command the command's name
     * @return its path, or null if no directory of the {@code PATH} has it as an executable
     */
    static Path find(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command);
            }
        }
        return null;
    }
}
