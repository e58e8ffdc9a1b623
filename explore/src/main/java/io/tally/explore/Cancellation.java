package io.tally.explore;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A way to stop a running statement from another thread: {@link #request()} cancels the statement running now (DuckDB
 * interrupts its connection, and the statement throws), and a statement that starts after a request does not run.
 * DuckDB ignores a cancel that comes before its query has begun, so whoever stops a statement asks again until it has
 * ended (the export's space watch does, at each of its checks).
 */
public final class Cancellation
{
    private PreparedStatement running;
    private volatile boolean requested;

    /** Cancels the statement running now, if any, and every one that would start from now on. */
    public synchronized void request()
    {
        requested = true;
        if (running != null)
        {
            try
            {
                running.cancel();
            }
            catch (final SQLException ex)
            {
                // closed meanwhile: it has ended, which is what was asked
            }
        }
    }

    public boolean requested()
    {
        return requested;
    }

    /** {@code statement} is about to run; it does not when a stop was asked. */
    synchronized void attach(final PreparedStatement statement) throws SQLException
    {
        if (requested)
        {
            throw new SQLException("cancelled before it started");
        }
        running = statement;
    }

    synchronized void detach()
    {
        running = null;
    }
}
