package io.tally.bench.load;

import io.tally.bench.compare.ProcessCpu;

import java.util.Map;
import java.util.TreeMap;

/** The CPU each thread of a local server used over the measured window: which part of it a change made cheaper. */
final class ServerThreads
{
    private final long pid;
    private final Map<String, Double> atStart;

    private ServerThreads(final long pid, final Map<String, Double> atStart)
    {
        this.pid = pid;
        this.atStart = atStart;
    }

    /** Takes the starting figures of {@code pid}; with 0, reports nothing. */
    static ServerThreads from(final long pid)
    {
        return new ServerThreads(pid, pid == 0 ? Map.of() : ProcessCpu.threadSeconds(pid));
    }

    /** Seconds used since {@link #from} by thread name; threads started since count in full. */
    Map<String, Double> secondsSince()
    {
        if (pid == 0)
        {
            return Map.of();
        }
        final Map<String, Double> used = new TreeMap<>();
        ProcessCpu.threadSeconds(pid).forEach((name, seconds) -> used.put(name, seconds - atStart.getOrDefault(name, 0.0)));
        return used;
    }
}
