package io.tally.bench.compare;

import java.io.IOException;

/** Runs a short command to its end. */
public final class Processes
{
    private Processes()
    {
    }

    /** Pins this JVM and every thread it has or will start to {@code cpu} (a CPU list), with {@code taskset}. */
    public static void pinThisProcess(final String cpu)
    {
        final int exit = exitCode("taskset", "-a", "-cp", cpu, Long.toString(ProcessHandle.current().pid()));
        if (exit != 0)
        {
            throw new IllegalStateException("taskset could not pin this process to CPU " + cpu);
        }
    }

    /** The command's exit code (its output discarded), or -1 when it cannot run. */
    static int exitCode(final String... command)
    {
        try
        {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
        }
        catch (final IOException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
