package io.tally.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release archive as a user gets it: unpacked into an empty directory and run with a {@code PATH} that holds
 * only the JDK's {@code bin} (no Maven, no source tree, not even the usual system tools), the engine accepts a
 * beacon over a socket, stops cleanly on SIGTERM, and its journal holds the event.
 */
class ReleaseArchiveTest
{
    private static final String VERSION = System.getProperty("tally.version");
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

    @Test
    void theArchiveRunsTheEngineWithOnlyAJavaRuntime(@TempDir final Path empty) throws Exception
    {
        final Path root = unpack(empty);
        assertTrue(Files.isExecutable(root.resolve("bin/tally")), "bin/tally is executable");
        for (final String file : List.of("jvm.options", "README.md", "docs/deploy.md", "deploy/tally.service",
            "deploy/nginx-tally.conf", "deploy/nginx-tally-cluster.conf", "deploy/tally.example.json"))
        {
            assertTrue(Files.isRegularFile(root.resolve(file)), file + " is in the archive");
        }
        assertTrue(jarNames(root).anyMatch(name -> name.startsWith("tally-ops-")), "lib/ holds the jars");
        final Map<String, String> environment = Map.of("PATH", JAVA_BIN.toString());
        assertFalse(Files.exists(JAVA_BIN.resolve("mvn")), "the PATH has no Maven");

        final Run version = run(root, environment, "bin/tally", "--version");
        assertEquals(0, version.exit(), version.output());
        assertEquals("tally " + VERSION, version.output().strip());

        final Path data = root.resolve("data");
        final Serving serving = serve(root, environment, data);
        final Process engine = serving.process();
        final int port = serving.port();
        try
        {
            final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/event"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"t\":\"p\",\"u\":\"http://localhost/from-the-release\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, answer.statusCode(), answer.body());
            engine.destroy(); // SIGTERM: the launcher exec'd java, so this is the engine itself
            assertTrue(engine.waitFor(60, TimeUnit.SECONDS), "the engine stops on SIGTERM");
            assertEquals(0, engine.exitValue(), Files.readString(root.resolve("engine.log")));
        }
        finally
        {
            engine.destroyForcibly();
        }
        final Run dump = run(root, environment, "bin/tally", "journal", "dump", "--data-dir", data.toString());
        assertEquals(0, dump.exit(), dump.output());
        assertTrue(dump.output().contains("http://localhost/from-the-release"), dump.output());
    }

    @Test
    void theLauncherFindsJavaThroughJavaHomeAndRefusesWithoutOne(@TempDir final Path empty) throws Exception
    {
        final Path root = unpack(empty);
        final Run withHome = run(root, Map.of("PATH", "/nonexistent", "JAVA_HOME", System.getProperty("java.home")),
            "bin/tally", "--version");
        assertEquals(0, withHome.exit(), withHome.output());
        assertEquals("tally " + VERSION, withHome.output().strip());

        final Run without = run(root, Map.of("PATH", "/nonexistent"), "bin/tally", "--version");
        assertEquals(1, without.exit(), without.output());
        assertTrue(without.output().contains("cannot find java"), without.output());
    }

    /**
     * The archive's systemd unit, pointed at where it was unpacked instead of {@code /opt/tally}, is clean for
     * {@code systemd-analyze verify}: it exits 0 and says nothing (an unknown or misspelt key is only a warning).
     */
    @Test
    void theSystemdUnitVerifiesClean(@TempDir final Path empty) throws Exception
    {
        final Path analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);
        if (analyze == null)
        {
            System.out.println("theSystemdUnitVerifiesClean skipped: systemd-analyze is not installed here");
            org.junit.jupiter.api.Assumptions.abort("systemd-analyze is not installed");
        }
        final Path root = unpack(empty);
        final String unit = Files.readString(root.resolve("deploy/tally.service"));
        assertTrue(unit.contains("ExecStart=/opt/tally/bin/tally serve"), unit);
        for (final String hardening : List.of("NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/tally",
            "PrivateTmp=yes"))
        {
            assertTrue(unit.contains("\n" + hardening + "\n"), "the unit sets " + hardening);
        }
        final Path file = empty.resolve("tally.service");
        Files.writeString(file, unit.replace("/opt/tally", root.toString()));
        final Run verify = run(empty, Map.of("PATH", "/usr/bin:/bin"), analyze.toString(), "verify", file.toString());
        assertEquals(0, verify.exit(), verify.output());
        assertEquals("", verify.output().strip(), "systemd-analyze verify has nothing to say");
    }

    /** Unpacks the archive into {@code into} (empty) and answers its one top directory, {@code tally-VERSION}. */
    private static Path unpack(final Path into) throws IOException, InterruptedException
    {
        final Path archive = Path.of(System.getProperty("tally.archive"));
        assertTrue(Files.isRegularFile(archive), "mvn package made " + archive);
        final Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
            .redirectErrorStream(true).start();
        final String output = new String(tar.getInputStream().readAllBytes());
        assertEquals(0, tar.waitFor(), output);
        try (Stream<Path> top = Files.list(into))
        {
            assertEquals(List.of(into.resolve("tally-" + VERSION)), top.toList(), "one directory, tally-VERSION");
        }
        return into.resolve("tally-" + VERSION);
    }

    private static Stream<String> jarNames(final Path root) throws IOException
    {
        try (Stream<Path> jars = Files.list(root.resolve("lib")))
        {
            return jars.map(jar -> jar.getFileName().toString()).toList().stream();
        }
    }

    private record Run(int exit, String output)
    {
    }

    private static Run run(final Path directory, final Map<String, String> environment, final String... command)
        throws IOException, InterruptedException
    {
        final Process process = builder(directory, environment, command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished: " + String.join(" ", command));
        return new Run(process.exitValue(), output);
    }

    private static Process start(final Path directory, final Map<String, String> environment, final String... command)
        throws IOException
    {
        return builder(directory, environment, command).redirectErrorStream(true)
            .redirectOutput(directory.resolve("engine.log").toFile()).start();
    }

    /** A process in {@code directory} with exactly {@code environment}: nothing of this JVM's leaks into it. */
    private static ProcessBuilder builder(final Path directory, final Map<String, String> environment,
        final String... command)
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    private record Serving(Process process, int port)
    {
    }

    /**
     * {@code bin/tally serve} on a free port, healthy. The port is picked here and bound by the engine a moment
     * later: should another socket take it in between, the start is tried again on another.
     */
    private static Serving serve(final Path root, final Map<String, String> environment, final Path data)
        throws Exception
    {
        final Path log = root.resolve("engine.log");
        for (int attempt = 1; ; attempt++)
        {
            final int port = freePort();
            final Process engine = start(root, environment, "bin/tally", "serve", "--port", Integer.toString(port),
                "--host", "127.0.0.1", "--data-dir", data.toString(), "--min-free-space", "16m");
            if (awaitHealthy(engine, port, log))
            {
                return new Serving(engine, port);
            }
            assertTrue(attempt < 5 && read(log).contains("Address already in use"), () -> "the engine exited: " + read(log));
        }
    }

    /** Waits until {@code /healthz} answers 200: true; false if the engine exits first. */
    private static boolean awaitHealthy(final Process engine, final int port, final Path log) throws Exception
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            if (!engine.isAlive())
            {
                engine.waitFor();
                return false;
            }
            try
            {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200)
                {
                    return true;
                }
            }
            catch (final IOException notYet)
            {
                Thread.sleep(100);
            }
        }
        engine.destroyForcibly();
        throw new AssertionError("the engine did not answer /healthz: " + read(log));
    }

    private static String read(final Path log)
    {
        try
        {
            return Files.readString(log);
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
