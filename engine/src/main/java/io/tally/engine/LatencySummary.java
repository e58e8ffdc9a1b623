package io.tally.engine;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * Request latency of one endpoint: recorded into an HdrHistogram {@link Recorder} (wait-free, no allocation,
 * any number of writer threads), read at scrape time. Quantiles cover a sliding window of one to two minutes
 * (the current minute's intervals plus the previous minute's), so a quiet minute after a busy one still shows
 * the busy figures for a while and then empties; count and sum cover the whole life of the process, as a
 * Prometheus summary's do.
 */
final class LatencySummary
{
    /** Latencies are kept in microseconds up to a minute; longer ones are recorded as a minute. */
    static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private Histogram interval;
    private Histogram current = new Histogram(MAX_MICROS, 3);
    private Histogram previous = new Histogram(MAX_MICROS, 3);
    private final Histogram merged = new Histogram(MAX_MICROS, 3);
    private long windowStartNanos = System.nanoTime();
    private long count;
    private double sumSeconds;

    /** Records one request's latency; called on I/O threads. */
    void record(final long nanos)
    {
        final long micros = nanos / 1_000;
        recorder.recordValue(micros < 0 ? 0 : Math.min(micros, MAX_MICROS));
    }

    /** A consistent view for one scrape: count, sum and the window's quantiles (NaN when the window is empty). */
    synchronized Sample sample(final double[] quantiles)
    {
        interval = recorder.getIntervalHistogram(interval);
        count += interval.getTotalCount();
        sumSeconds += interval.getMean() * interval.getTotalCount() / 1e6;
        final long now = System.nanoTime();
        if (now - windowStartNanos >= WINDOW_NANOS)
        {
            final Histogram recycled = previous;
            previous = current;
            current = recycled;
            current.reset();
            windowStartNanos = now;
        }
        current.add(interval);
        merged.reset();
        merged.add(previous);
        merged.add(current);
        final double[] values = new double[quantiles.length];
        for (int i = 0; i < quantiles.length; i++)
        {
            values[i] = merged.getTotalCount() == 0 ? Double.NaN :
                merged.getValueAtPercentile(quantiles[i] * 100) / 1e6;
        }
        return new Sample(count, sumSeconds, values);
    }

    /** What a scrape reports: requests and total seconds so far, and seconds at each asked quantile. */
    record Sample(long count, double sumSeconds, double[] quantileSeconds)
    {
    }
}
