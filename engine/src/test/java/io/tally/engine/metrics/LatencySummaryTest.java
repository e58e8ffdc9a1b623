package io.tally.engine.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Latency from several writer threads, read by scrapes: counts add up, quantiles are HdrHistogram's, nothing is lost. */
class LatencySummaryTest
{
    private static final double[] QUANTILES = {0.5, 0.99, 0.999};

    @Test
    void twoWritersAreAddedUpAndEveryScrapeKeepsCountingFromTheLast() throws InterruptedException
    {
        final RequestMetrics metrics = new RequestMetrics();
        final Thread fast = new Thread(() -> recordMany(metrics, 1_000, TimeUnit.MICROSECONDS.toNanos(100)));
        final Thread slow = new Thread(() -> recordMany(metrics, 10, TimeUnit.MILLISECONDS.toNanos(50)));
        fast.start();
        slow.start();
        fast.join();
        slow.join();

        final LatencySummary.Sample first = metrics.latency(Endpoint.EVENT).sample(QUANTILES);
        assertEquals(1_010, first.count());
        assertEquals(0.1 + 0.5, first.sumSeconds(), 0.001, "1,000 x 100 us + 10 x 50 ms");
        assertEquals(100e-6, first.quantileSeconds()[0], 0.1e-6, "the median is a fast one");
        assertEquals(50e-3, first.quantileSeconds()[2], 0.05e-3, "p99.9 is a slow one");

        metrics.record(Endpoint.EVENT, 202, TimeUnit.MICROSECONDS.toNanos(100));
        final LatencySummary.Sample second = metrics.latency(Endpoint.EVENT).sample(QUANTILES);
        assertEquals(1_011, second.count(), "counts are cumulative");
        assertEquals(50e-3, second.quantileSeconds()[2], 0.05e-3, "the window still holds the first scrape's intervals");
        assertTrue(Double.isNaN(metrics.latency(Endpoint.HEALTH).sample(QUANTILES).quantileSeconds()[0]),
            "an endpoint without requests has no quantiles");
    }

    @Test
    void aLatencyBeyondAMinuteIsCountedAsAMinute()
    {
        final RequestMetrics metrics = new RequestMetrics();
        metrics.record(Endpoint.ADMIN, 200, TimeUnit.MINUTES.toNanos(5));
        metrics.record(Endpoint.ADMIN, 200, -1);
        final LatencySummary.Sample sample = metrics.latency(Endpoint.ADMIN).sample(QUANTILES);
        assertEquals(2, sample.count());
        assertEquals(60, sample.quantileSeconds()[2], 0.1);
        assertEquals(2, metrics.requests(Endpoint.ADMIN, 0), "both counted under status 200 (slot 0)");
    }

    private static void recordMany(final RequestMetrics metrics, final int count, final long nanos)
    {
        for (int i = 0; i < count; i++)
        {
            metrics.record(Endpoint.EVENT, 202, nanos);
        }
    }
}
