package io.tally.bench.compare;

import java.io.IOException;

/** Runs a short command to its end. */
final class Processes
{
    private Processes()
    {
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
