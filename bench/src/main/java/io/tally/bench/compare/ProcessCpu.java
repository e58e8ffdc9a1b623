package io.tally.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process and its descendants have used, from {@code /proc/PID/stat} (user plus system). */
final class ProcessCpu
{
    /** Clock ticks per second of {@code /proc} times ({@code getconf CLK_TCK}; 100 on Linux x86-64). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu()
    {
    }

    /** Seconds of CPU used so far by {@code pid} and every process under it; 0 for what has exited. */
    static double seconds(final long pid)
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

    /** utime + stime: fields 14 and 15 of stat, counted after the command name's closing parenthesis. */
    static long ticks(final long pid)
    {
        final String stat;
        try
        {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        }
        catch (final IOException ex)
        {
            return 0;
        }
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
