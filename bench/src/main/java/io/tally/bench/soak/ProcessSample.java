package io.tally.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A process's memory, threads and open files as the kernel reports them, read from outside the process:
 * {@code /proc/PID/status} ({@code VmRSS}, {@code RssAnon}, {@code RssFile}, {@code Threads}) and the entries of
 * {@code /proc/PID/fd}. RSS is split because the engine's journal is memory-mapped: its pages count in
 * {@code RssFile} and grow with the journal (the kernel reclaims them under pressure), while {@code RssAnon} is
 * the heap, stacks and direct buffers, where a leak would show.
 */
record ProcessSample(long rssKb, long rssAnonKb, long rssFileKb, int threads, int openFiles)
{
    /** Reads the process now. */
    static ProcessSample of(final long pid)
    {
        final Path proc = Path.of("/proc", Long.toString(pid));
        try
        {
            return parse(Files.readString(proc.resolve("status")), countEntries(proc.resolve("fd")));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read /proc of process " + pid + " (has it exited?)", ex);
        }
    }

    /** The fields of a {@code /proc/PID/status} text; a field the kernel does not report is an error. */
    static ProcessSample parse(final String status, final int openFiles)
    {
        return new ProcessSample(field(status, "VmRSS"), field(status, "RssAnon"), field(status, "RssFile"),
            (int)field(status, "Threads"), openFiles);
    }

    /** The number in the line {@code NAME:  1234 kB} (or {@code Threads:  40}). */
    private static long field(final String status, final String name)
    {
        for (final String line : (Iterable<String>)status.lines()::iterator)
        {
            if (line.startsWith(name + ":"))
            {
                final String value = line.substring(name.length() + 1).trim();
                final int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space));
            }
        }
        throw new IllegalArgumentException("no " + name + " in /proc/PID/status");
    }

    private static int countEntries(final Path directory) throws IOException
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return (int)entries.count();
        }
    }
}
