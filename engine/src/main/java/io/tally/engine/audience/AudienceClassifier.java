package io.tally.engine.audience;

import io.tally.engine.metrics.ThrottledErrorLog;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Decides each distinct User-Agent's {@link Audience} once, on its own thread ({@code tally-audience}), never on an
 * event loop: a parse takes tens of microseconds to milliseconds. The event path only {@link #find looks up} the
 * {@link AudienceCache}; on a miss it hands the User-Agent to {@link #classify}, whose queue is bounded: past it the
 * classification is refused at once (counted) and the caller goes on without one.
 */
public final class AudienceClassifier implements AutoCloseable
{
    /** User-Agents remembered: many more than a site's distinct browsers in a day, about 0.5 KB each. */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;
    /** User-Agents waiting for the thread; each holds at most a connection, paused. */
    public static final int DEFAULT_QUEUE = 1_024;

    private final AudienceCache cache;
    private final UserAgentParser parser;
    private final ThreadPoolExecutor thread;
    private final Future<?> ready;
    private volatile boolean built;
    private final LongAdder classified = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final ThrottledErrorLog errors = new ThrottledErrorLog("classifying a User-Agent");

    public AudienceClassifier(final AudienceCache cache, final UserAgentParser parser, final int queue)
    {
        this.cache = cache;
        this.parser = parser;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), task ->
        {
            final Thread worker = new Thread(task, "tally-audience");
            worker.setDaemon(true);
            return worker;
        }, new ThreadPoolExecutor.AbortPolicy());
        // built in the background from the start: until it is, events go on unclassified rather than wait
        this.ready = thread.submit(() ->
        {
            parser.prepare();
            built = true;
        });
    }

    /**
     * Whether the analyzer is built (seconds after start, longer on a busy machine). Before, a beacon with a new
     * User-Agent is not held: it is journaled with the audience unknown (counted) and its User-Agent queued.
     */
    public boolean isReady()
    {
        return built;
    }

    /** Waits until the analyzer is built: for tests and benchmarks that need every event classified. */
    public void awaitReady()
    {
        try
        {
            ready.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the User-Agent analyzer was built", ex);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("the User-Agent analyzer could not be built", ex.getCause());
        }
    }

    /** The cached audience of the probe's User-Agent, or null: a lookup, nothing made. */
    public Audience find(final AudienceCache.Probe probe)
    {
        return cache.find(probe);
    }

    /**
     * Classifies {@code userAgent} on the classifier's thread, caches it, then hands it to {@code then} there (which
     * must be quick: hand it back to an event loop). False (and counted) when the queue is full or closed.
     */
    public boolean classify(final String userAgent, final Consumer<Audience> then)
    {
        try
        {
            thread.execute(() ->
            {
                Audience audience = Audience.UNKNOWN;
                try
                {
                    audience = classifyNow(userAgent);
                }
                catch (final Throwable failure)
                {
                    errors.onError(failure);
                }
                finally
                {
                    // whatever happened, the held request goes on: its connection waits for this
                    then.accept(audience);
                }
            });
            return true;
        }
        catch (final RejectedExecutionException full)
        {
            refused.increment();
            return false;
        }
    }

    /**
     * Classifies {@code userAgent} now, on the calling thread, unless it is cached: for a pipeline driven by hand (an
     * embedded channel in tests and benchmarks), where no event loop runs the task that resumes a held request.
     */
    public Audience prime(final String userAgent)
    {
        awaitReady();
        return classifyNow(userAgent);
    }

    private Audience classifyNow(final String userAgent)
    {
        final Audience known = cache.find(new AudienceCache.Probe().wrap(userAgent));
        if (known != null)
        {
            return known; // another event of the same User-Agent was classified while this one waited
        }
        Audience audience;
        try
        {
            audience = parser.parse(userAgent);
        }
        catch (final RuntimeException | StackOverflowError failure)
        {
            // a User-Agent the parser fails on (a hostile one may recurse deep) is unknown, and cached as such
            errors.onError(failure);
            audience = Audience.UNKNOWN;
        }
        cache.put(userAgent, audience);
        classified.increment();
        return audience;
    }

    /** User-Agents parsed (cache misses that were classified). */
    public long classified()
    {
        return classified.sum();
    }

    /** Classifications refused because the queue was full: those events were journaled with the audience unknown. */
    public long refused()
    {
        return refused.sum();
    }

    public AudienceCache cache()
    {
        return cache;
    }

    @Override
    public void close()
    {
        thread.shutdownNow();
    }
}
