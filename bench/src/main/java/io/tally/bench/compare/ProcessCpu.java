package io.tally.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time a process and its descendants have used, from {@code /proc/PID/stat} (user plus system), and the time
 * their threads were ready to run but waited for a CPU, from {@code /proc/PID/task/TID/schedstat}: on a shared
 * machine the second says how much other work took from a server.
 */
public final class ProcessCpu
{
    /** Clock ticks per second of {@code /proc} times ({@code getconf CLK_TCK}; 100 on Linux x86-64). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu()
    {
    }

    /** Seconds of CPU used so far by {@code pid} and every process under it; 0 for what has exited. */
    public static double seconds(final long pid)
    {
        final ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process == null)
        {
            return 0;
        }
        final long[] ticks = {ticks(pid)};
        process.descendants().forEach(child -> ticks[0] += ticks(child.pid()));
        return ticks[0] / TICKS_PER_SECOND;
    }

    /** Seconds of CPU used so far by {@code pid} alone, without its children (the harness and its servers). */
    static double ownSeconds(final long pid)
    {
        return ticks(pid) / TICKS_PER_SECOND;
    }

    /** Seconds the threads of {@code pid} and of every process under it spent runnable, waiting for a CPU. */
    public static double waitSeconds(final long pid)
    {
        final ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process == null)
        {
            return 0;
        }
        final long[] nanos = {runQueueNanos(pid)};
        process.descendants().forEach(child -> nanos[0] += runQueueNanos(child.pid()));
        return nanos[0] / 1e9;
    }

    /** The second field of each thread's schedstat: nanoseconds spent on a run queue. */
    private static long runQueueNanos(final long pid)
    {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                try
                {
                    total += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                }
                catch (final IOException ex)
                {
                    // the thread ended while being read
                }
            }
        }
        catch (final IOException ex)
        {
            return 0;
        }
        return total;
    }

    /**
     * Seconds of CPU used so far by each thread of {@code pid}, by thread name (threads of the same name add up);
     * empty when the process is gone.
     */
    public static Map<String, Double> threadSeconds(final long pid)
    {
        final Map<String, Double> seconds = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                final String stat = read(task.resolve("stat"));
                if (stat != null)
                {
                    final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    seconds.merge(name, ticksOf(stat) / TICKS_PER_SECOND, Double::sum);
                }
            }
        }
        catch (final IOException ex)
        {
            return Map.of();
        }
        return seconds;
    }

    static long ticks(final long pid)
    {
        final String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return stat == null ? 0 : ticksOf(stat);
    }

    /** utime + stime: fields 14 and 15 of stat, counted after the command name's closing parenthesis. */
    private static long ticksOf(final String stat)
    {
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The file's text, or null when it is gone (the thread or process ended while being read). */
    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
