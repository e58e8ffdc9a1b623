package io.tally.tracker;

import java.util.function.BooleanSupplier;

/** Bounded polling for what a browser does in its own time: never a fixed sleep, never an endless wait. */
public final class Poll
{
    static final long TIMEOUT_MILLIS = Long.getLong("tally.poll.timeout", 60_000);

    private Poll()
    {
    }

    public static void until(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out after " + TIMEOUT_MILLIS + " ms waiting until " + what);
            }
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, ex);
            }
        }
    }
}
