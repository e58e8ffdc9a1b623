package io.tally.engine.http;

import io.tally.engine.metrics.ThrottledErrorLog;

import java.time.Duration;
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
 * with {@code Retry-After}), never queued without end; and so is the wait in it: a task that waited longer than
 * {@code --api-wait} for a thread runs its "too late" answer instead of its work.
 */
public final class ColdWork implements AutoCloseable
{
    private final Executor executor;
    private final ThreadPoolExecutor pool;
    private final long maxWaitNanos;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final ThrottledErrorLog errors = new ThrottledErrorLog("an API request");

    private ColdWork(final Executor executor, final ThreadPoolExecutor pool, final long maxWaitNanos)
    {
        this.executor = executor;
        this.pool = pool;
        this.maxWaitNanos = maxWaitNanos;
    }

    /** {@code threads} threads and at most {@code queued} tasks waiting for one, each for at most {@code maxWait}. */
    public static ColdWork start(final int threads, final int queued, final Duration maxWait)
    {
        final AtomicInteger number = new AtomicInteger();
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queued), task ->
            {
                final Thread thread = new Thread(task, "tally-api-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
        return new ColdWork(pool, pool, maxWait.toNanos());
    }

    /** Runs each task on the caller's thread: for a pipeline driven by hand (benchmarks on an embedded channel). */
    public static ColdWork inline()
    {
        return new ColdWork(Runnable::run, null, Long.MAX_VALUE);
    }

    /**
     * Hands {@code task} to a thread, or, when it waits there longer than the limit, {@code tooLate} in its place;
     * false (and counted) when the queue is full or the work has stopped.
     */
    boolean submit(final Runnable task, final Runnable tooLate)
    {
        final long queuedAt = System.nanoTime();
        return submit(() ->
        {
            if (System.nanoTime() - queuedAt > maxWaitNanos)
            {
                late.incrementAndGet();
                tooLate.run();
            }
            else
            {
                task.run();
            }
        });
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

    /** Tasks that waited past the limit and were answered too late instead of run. */
    public long late()
    {
        return late.get();
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
