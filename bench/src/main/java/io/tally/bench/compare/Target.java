package io.tally.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One server under comparison (or soak): a child process pinned to the server's CPU, listening on loopback. */
public final class Target implements AutoCloseable
{
    private static final long START_TIMEOUT_MILLIS = 120_000;

    private final String name;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    /** Text that {@code GET /healthz} shows once the server is ready for steady load; null: listening is ready. */
    private final String readyText;
    private Process process;

    public Target(final String name, final int port, final List<String> command, final Map<String, String> environment,
        final Path log)
    {
        this(name, port, command, environment, log, null);
    }

    public Target(final String name, final int port, final List<String> command, final Map<String, String> environment,
        final Path log, final String readyText)
    {
        this.name = name;
        this.port = port;
        this.command = command;
        this.environment = environment;
        this.log = log;
        this.readyText = readyText;
    }

    String name()
    {
        return name;
    }

    public String url()
    {
        return "http://127.0.0.1:" + port + "/api/event";
    }

    public long pid()
    {
        return process.pid();
    }

    /** Starts the process under {@code taskset -c cpus} and waits until its port accepts connections. */
    public void start(final String cpus)
    {
        final List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
        pinned.addAll(command);
        final ProcessBuilder builder = new ProcessBuilder(pinned).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", pinned), ex);
        }
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!accepts() || !ready())
        {
            if (!process.isAlive() || System.currentTimeMillis() > deadline)
            {
                close();
                throw new IllegalStateException(name + " did not start listening on port " + port + "; see " + log);
            }
            sleep(100);
        }
    }

    /**
     * Whether the server has finished its start-up work (Tally builds its User-Agent analyzer in the background for
     * seconds after it listens): a run is about steady load, not about a start.
     */
    private boolean ready()
    {
        if (readyText == null)
        {
            return true;
        }
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains(readyText);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private boolean accepts()
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** CPU seconds the target's processes have used so far. */
    double cpuSeconds()
    {
        return ProcessCpu.seconds(process.pid());
    }

    /** Seconds the target's threads have waited for a CPU while ready to run. */
    double waitSeconds()
    {
        return ProcessCpu.waitSeconds(process.pid());
    }

    /**
     * Waits (up to {@code maxMillis}) until the target is idle: under 5% of a core over 400 ms, so a Tally's
     * rollup agent catching up on the last round does not run into the next target's measurement.
     */
    void awaitIdle(final long maxMillis)
    {
        final long deadline = System.currentTimeMillis() + maxMillis;
        double before = cpuSeconds();
        while (System.currentTimeMillis() < deadline)
        {
            sleep(400);
            final double now = cpuSeconds();
            if (now - before < 0.02)
            {
                return;
            }
            before = now;
        }
    }

    @Override
    public void close()
    {
        if (process == null)
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
