package io.tally.engine.metrics;

import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** An error handler for background agents: logs an error, then at most one a minute, with how many were skipped. */
public final class ThrottledErrorLog implements ErrorHandler
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String agent;
    private long lastLoggedNanos = System.nanoTime() - INTERVAL_NANOS;
    private long skipped;

    public ThrottledErrorLog(final String agent)
    {
        this.agent = agent;
    }

    @Override
    public synchronized void onError(final Throwable error)
    {
        final long now = System.nanoTime();
        if (now - lastLoggedNanos < INTERVAL_NANOS)
        {
            skipped++;
            return;
        }
        LOG.error("{} failed ({} more errors since the last report)", agent, skipped, error);
        skipped = 0;
        lastLoggedNanos = now;
    }
}
