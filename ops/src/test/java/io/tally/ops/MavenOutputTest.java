package io.tally.ops;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The first {@code ./tally} builds with Maven: its output must be plain text. Maven 3.8's console library writes
 * colour resets ({@code ESC[0m}) even in batch mode and quiet; the repository's {@code .mvn/jvm.config} turns them off.
 */
class MavenOutputTest
{
    @Test
    void theLaunchersBuildCommandPrintsNoEscapeCodes() throws Exception
    {
        final Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("tally")), "run from the ops module: " + root);
        final String launcher = Files.readString(root.resolve("tally"));
        assertTrue(launcher.contains("mvn -B -q"), "the launcher builds in batch mode, quietly");
        assumeTrue(onPath("mvn"), "Maven is not on the PATH");
        final Process mvn = new ProcessBuilder("mvn", "-B", "-q", "-o", "-N", "validate").directory(root.toFile())
            .redirectErrorStream(true).start();
        final String output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(mvn.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, mvn.exitValue(), output);
        assertFalse(output.contains("\u001b"), "escape codes in: " + output.replace("\u001b", "ESC"));
    }

    private static boolean onPath(final String program)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            if (Files.isExecutable(Path.of(dir, program)))
            {
                return true;
            }
        }
        return false;
    }
}
