package io.tally.engine.http;

import io.tally.engine.metrics.ThrottledErrorLog;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that make the answers no beacon should wait for: the admin, stats and limits APIs, goal changes
 * (a compile and an fsync), metrics scrapes. An event loop that made them itself would hold up every beacon of
 * its connections for as long as a query runs. The queue is bounded: past it a request is refused at once (503
 * with {@code Retry-After}), never queued without end.
 */
public final class ColdWork implements AutoCloseable
{
    private final Executor executor;
    private final ThreadPoolExecutor pool;
    private final AtomicLong refused = new AtomicLong();
    private final ThrottledErrorLog errors = new ThrottledErrorLog("an API request");

    private ColdWork(final Executor executor, final ThreadPoolExecutor pool)
    {
        this.executor = executor;
        this.pool = pool;
    }

    /** {@code threads} threads and at most {@code queued} tasks waiting for one. */
    public static ColdWork start(final int threads, final int queued)
    {
        final AtomicInteger number = new AtomicInteger();
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queued), task ->
            {
                final Thread thread = new Thread(task, "tally-api-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
        return new ColdWork(pool, pool);
    }

    /** Runs each task on the caller's thread: for a pipeline driven by hand (benchmarks on an embedded channel). */
    public static ColdWork inline()
    {
        return new ColdWork(Runnable::run, null);
    }

    /** Hands {@code task} to a thread; false (and counted) when the queue is full or the work has stopped. */
    boolean submit(final Runnable task)
    {
        try
        {
            executor.execute(task);
            return true;
        }
        catch (final RejectedExecutionException full)
        {
            refused.incrementAndGet();
            return false;
        }
    }

    /** Where requests that failed unexpectedly are logged (at most one a minute). */
    ThrottledErrorLog errors()
    {
        return errors;
    }

    /** Requests refused because the queue was full (or the pool was closing). */
    public long refused()
    {
        return refused.get();
    }

    /** Tasks waiting for a thread now. */
    public int queued()
    {
        return pool == null ? 0 : pool.getQueue().size();
    }

    /**
     * Lets the tasks under way finish (for at most {@code timeoutMillis}), then interrupts what is left; takes no
     * more. Tasks still queued for connections already closed end at once (they check their channel first).
     */
    public void close(final long timeoutMillis)
    {
        if (pool != null)
        {
            pool.shutdown();
            try
            {
                if (!pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS))
                {
                    pool.shutdownNow();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close()
    {
        close(0);
    }
}
