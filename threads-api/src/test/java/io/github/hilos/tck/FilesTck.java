package io.github.hilos.tck;

import io.github.hilos.api.JacketedFiles;
import io.github.hilos.api.StrandRuntime;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Jacketed file I/O from many strands at once. */
public interface FilesTck extends RuntimeUnderTest {

    @Test
    default void jacketedFilesReadWriteAndPositionalReads() throws Exception {
        Path dir = Files.createTempDirectory("hilos-files-tck");
        try (StrandRuntime rt = open()) {
            Tck.runAll(rt, 20, i -> {
                Path file = dir.resolve("f" + i + ".txt");
                JacketedFiles.writeString(file, "strand " + i);
                assertEquals("strand " + i, JacketedFiles.readString(file, StandardCharsets.UTF_8));
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer buffer = ByteBuffer.allocate(16);
                    int n = JacketedFiles.read(channel, buffer, 7);
                    assertEquals(("" + i).length(), n);
                    assertEquals("" + i, new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
                }
            });
            assertThrows(NoSuchFileException.class, () -> rt.run(() -> JacketedFiles.readAllBytes(dir.resolve("none"))));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
