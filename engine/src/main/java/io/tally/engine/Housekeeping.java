package io.tally.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One background thread for the engine's small periodic chores (reading the disk's free space, making
 * tomorrow's salt) and for writes handed off the request path. A chore that throws is logged and runs again at
 * its next time: a scheduled task that throws would otherwise never run again.
 */
final class Housekeeping implements Executor, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task ->
    {
        final Thread t = new Thread(task, "tally-housekeeping");
        t.setDaemon(true);
        return t;
    });

    /**
     * Runs {@code chore} every {@code interval}, the first time one interval after start: for a chore that is never
     * urgent and must see what is wired after the engine is built (the journal retention's holds).
     */
    void everyAfterFirstInterval(final Duration interval, final String name, final Runnable chore)
    {
        thread.scheduleWithFixedDelay(() -> run(name, chore), interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code chore} now and then every {@code interval}. */
    void every(final Duration interval, final String name, final Runnable chore)
    {
        thread.scheduleWithFixedDelay(() -> run(name, chore), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void execute(final Runnable task)
    {
        thread.execute(() -> run("a background write", task));
    }

    private static void run(final String name, final Runnable chore)
    {
        try
        {
            chore.run();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("{} failed, tried again at its next time: {}", name, ex.toString());
        }
    }

    @Override
    public void close()
    {
        thread.shutdownNow();
    }
}
