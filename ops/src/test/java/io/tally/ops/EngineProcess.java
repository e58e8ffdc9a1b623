package io.tally.ops;

import io.tally.testing.RawHttp;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tally serve} in a process of its own, started from this JVM's class path with the launcher's JVM
 * flags, so tests can kill it for real.
 */
final class EngineProcess implements AutoCloseable
{
    /** The engine's JVM flags, from the {@code tally.jvm.opens} property of the build (also in jvm.options). */
    static final List<String> JVM_FLAGS = jvmFlags();

    private final Process process;
    private final int port;
    private final Path log;

    private EngineProcess(final Process process, final int port, final Path log)
    {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Attempts at a start whose port was taken in between. */
    private static final int PORT_ATTEMPTS = 5;

    /**
     * Starts {@code tally serve --port P --data-dir DIR extraArgs...} and waits until it answers. The free port is
     * picked here and bound by the child a moment later; should any socket on the machine take it in between, the
     * start is tried again on another port.
     */
    static EngineProcess start(final Path dataDir, final String... extraArgs) throws IOException, InterruptedException
    {
        return startUnder(List.of(), dataDir, extraArgs);
    }

    /** As {@link #start}, the java command run by {@code launcher} (such as {@code nohup}). */
    static EngineProcess startUnder(final List<String> launcher, final Path dataDir, final String... extraArgs)
        throws IOException, InterruptedException
    {
        return startCommand(launcher, "serve", dataDir, extraArgs);
    }

    /** As {@link #start}, another command that serves {@code /healthz} ({@code tally worker}). */
    static EngineProcess startCommand(final List<String> launcher, final String tallyCommand, final Path dataDir,
        final String... extraArgs) throws IOException, InterruptedException
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return startOnce(launcher, tallyCommand, freePort(), dataDir, extraArgs);
            }
            catch (final PortTakenException taken)
            {
                if (attempt == PORT_ATTEMPTS)
                {
                    throw new IllegalStateException("engine did not start in " + PORT_ATTEMPTS + " attempts:\n" +
                        taken.getMessage());
                }
            }
        }
    }

    /** The child could not bind the port picked for it. */
    private static final class PortTakenException extends IOException
    {
        private static final long serialVersionUID = 1L;

        PortTakenException(final String log)
        {
            super(log);
        }
    }

    /** As {@link #startCommand}, on a port the caller chose (others were told it): not tried again elsewhere. */
    static EngineProcess startOnPort(final String tallyCommand, final int port, final Path dataDir, final String... extraArgs)
        throws IOException, InterruptedException
    {
        return startOnce(List.of(), tallyCommand, port, dataDir, extraArgs);
    }

    /**
     * How long a start may take before it counts as failed: generous, for a test may start several JVMs (and a
     * broker) on a loaded machine; a start that fails says so at once (the process exits) rather than at this bound.
     */
    private static final long START_SECONDS = 120;

    private static EngineProcess startOnce(final List<String> launcher, final String tallyCommand, final int port,
        final Path dataDir, final String... extraArgs)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(launcher);
        command.addAll(javaCommand(tallyCommand));
        command.addAll(List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--host", "127.0.0.1",
            "--min-free-space", "16m"));
        command.addAll(List.of(extraArgs));
        final Path log = Files.createTempFile("tally-engine", ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final EngineProcess engine = new EngineProcess(process, port, log);
        engine.awaitReady();
        return engine;
    }

    static List<String> javaCommand(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> jvmFlags()
    {
        final String opens = System.getProperty("tally.jvm.opens");
        if (opens == null || opens.isBlank())
        {
            throw new IllegalStateException("run through Maven: Surefire sets tally.jvm.opens");
        }
        final List<String> flags = new ArrayList<>(List.of(opens.trim().split("\\s+")));
        flags.add("-Xmx256m");
        return List.copyOf(flags);
    }

    int port()
    {
        return port;
    }

    Process process()
    {
        return process;
    }

    String log() throws IOException
    {
        return Files.readString(log);
    }

    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code (or -1 if it did not stop within the timeout). */
    int terminate() throws InterruptedException
    {
        process.destroy();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private void awaitReady() throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                final String log = log();
                // the serve command's line says "address already in use"; a JVM's own error "Address already in use"
                if (log.toLowerCase(java.util.Locale.ROOT).contains("address already in use"))
                {
                    throw new PortTakenException(log);
                }
                throw new IllegalStateException("engine exited with " + process.exitValue() + ":\n" + log);
            }
            try (RawHttp http = new RawHttp(port))
            {
                if (http.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()).status() == 200)
                {
                    return;
                }
            }
            catch (final IOException notYet)
            {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("engine did not start:\n" + log());
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /** Kills the engine if it still runs and deletes its log: every failure message above carries what it said. */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        try
        {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
        catch (final IOException ex)
        {
            // a log left in the temporary directory is harmless
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
