package io.tally.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The machine a comparison ran on, in one line, read before the harness pins itself to one CPU. */
public final class Machine
{
    private Machine()
    {
    }

    static String describe()
    {
        return basics() + ", " + command("nginx", "-v") + "; load average before: " + loadAverage() + "; " +
            Instant.now().truncatedTo(ChronoUnit.MINUTES) + ".";
    }

    /** CPUs, memory, kernel and Java. */
    public static String basics()
    {
        final String cpuInfo = read("/proc/cpuinfo");
        final long cpus = cpuInfo.lines().filter(line -> line.startsWith("processor")).count();
        final String model = cpuInfo.lines().filter(line -> line.startsWith("model name")).findFirst()
            .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        final String memory = read("/proc/meminfo").lines().filter(line -> line.startsWith("MemTotal")).findFirst()
            .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / (1024 * 1024) + " GiB").orElse("? GiB");
        return cpus + " CPUs (" + model + "), " + memory + " RAM, Linux " + read("/proc/sys/kernel/osrelease").trim() +
            ", Java " + System.getProperty("java.runtime.version");
    }

    /** The one-minute load average: above 2 on this machine, other work competed for the cores. */
    public static String loadAverage()
    {
        return read("/proc/loadavg").trim().split(" ")[0];
    }

    /** The file system type a directory is on ({@code ext4}, {@code tmpfs}, ...), as the JDK reports it. */
    public static String fileSystemOf(final Path directory)
    {
        try
        {
            return Files.getFileStore(directory).type();
        }
        catch (final IOException ex)
        {
            return "unknown file system";
        }
    }

    private static String read(final String file)
    {
        try
        {
            return Files.readString(Path.of(file));
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /** The first line a command prints (stdout and stderr), or "no NAME". */
    static String command(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output.lines().findFirst().orElse("").replace("nginx version: ", "");
        }
        catch (final IOException ex)
        {
            return "no " + command[0];
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "no " + command[0];
        }
    }
}
