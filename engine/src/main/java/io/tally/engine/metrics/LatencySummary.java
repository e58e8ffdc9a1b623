package io.tally.engine.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Request latency of one endpoint: each I/O thread records into an HdrHistogram {@link SingleWriterRecorder} of
 * its own (wait-free, no allocation, and no cache line shared with the other I/O threads, unlike one
 * multi-writer {@code Recorder}), and a scrape adds up their interval histograms. Quantiles cover a sliding
 * window of one to two minutes (the current minute's intervals plus the previous minute's), so a quiet minute after a busy one still shows
 * the busy figures for a while and then empties; count and sum cover the whole life of the process, as a
 * Prometheus summary's do.
 */
final class LatencySummary
{
    /** Latencies are kept in microseconds up to a minute; longer ones are recorded as a minute. */
    static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final List<ThreadRecorder> recorders = new CopyOnWriteArrayList<>();
    private Histogram current = new Histogram(MAX_MICROS, 3);
    private Histogram previous = new Histogram(MAX_MICROS, 3);
    private final Histogram merged = new Histogram(MAX_MICROS, 3);
    private long windowStartNanos = System.nanoTime();
    private long count;
    private double sumSeconds;

    /** One writer thread's recorder and the interval histogram it hands back (recycled: only to its own recorder). */
    private static final class ThreadRecorder
    {
        final SingleWriterRecorder recorder = new SingleWriterRecorder(MAX_MICROS, 3);
        Histogram interval;
    }

    /** A recorder for one writer thread; made once per thread and endpoint. */
    SingleWriterRecorder newRecorder()
    {
        final ThreadRecorder recorder = new ThreadRecorder();
        recorders.add(recorder);
        return recorder.recorder;
    }

    /** Records one request's latency into the calling thread's recorder. */
    static void record(final SingleWriterRecorder recorder, final long nanos)
    {
        final long micros = nanos / 1_000;
        recorder.recordValue(micros < 0 ? 0 : Math.min(micros, MAX_MICROS));
    }

    /** A consistent view for one scrape: count, sum and the window's quantiles (NaN when the window is empty). */
    synchronized Sample sample(final double[] quantiles)
    {
        final long now = System.nanoTime();
        if (now - windowStartNanos >= WINDOW_NANOS)
        {
            final Histogram recycled = previous;
            previous = current;
            current = recycled;
            current.reset();
            windowStartNanos = now;
        }
        for (final ThreadRecorder thread : recorders)
        {
            final Histogram interval = thread.recorder.getIntervalHistogram(thread.interval);
            thread.interval = interval;
            count += interval.getTotalCount();
            sumSeconds += interval.getMean() * interval.getTotalCount() / 1e6;
            current.add(interval);
        }
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
