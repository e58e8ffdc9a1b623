package io.tally.engine.metrics;

import io.tally.codec.Outcome;
import io.tally.engine.limit.RateLimiter;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the request path records per request allocates nothing: counted in bytes allocated by this thread
 * ({@code com.sun.management.ThreadMXBean}), over a million recordings, not timed.
 */
class RecordingAllocationTest
{
    private static final int RECORDINGS = 1_000_000;
    /** Slack for the JVM's own bookkeeping between the two readings; a single object per recording would be 16 MB. */
    private static final long SLACK_BYTES = 4 * 1024;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void requestCountersLatencyAndJournalCountersAllocateNothing()
    {
        final RequestMetrics requests = new RequestMetrics();
        final IngestCounters counters = new IngestCounters();
        final Endpoint[] endpoints = Endpoint.values();
        final int[] statuses = {202, 400, 429, 503, 599};
        final Outcome[] outcomes = Outcome.values();
        final Runnable record = new Runnable()
        {
            private int i;

            @Override
            public void run()
            {
                final int n = i++;
                requests.record(endpoints[n % endpoints.length], statuses[n % statuses.length], 1_000L * (n % 50_000));
                counters.record(endpoints[n % endpoints.length], outcomes[n % outcomes.length]);
                counters.appended(160);
            }
        };
        final long allocated = allocatedBy(record);
        assertTrue(allocated < SLACK_BYTES, allocated + " bytes for " + RECORDINGS + " recordings");
        assertEquals(2L * RECORDINGS, counters.journalAppends(), "warm-up and measured runs were all counted");
    }

    @Test
    void theLimiterAllocatesNothingWhetherItAllowsOrRefuses()
    {
        final RateLimiter limiter = new RateLimiter(1, 1, 1 << 16);
        final Runnable acquire = new Runnable()
        {
            private long address;

            @Override
            public void run()
            {
                limiter.tryAcquire(0, 0x0000_FFFF_7F00_0000L | (address++ & 0x3FF));
            }
        };
        final long allocated = allocatedBy(acquire);
        assertTrue(allocated < SLACK_BYTES, allocated + " bytes for " + RECORDINGS + " acquisitions");
        assertTrue(limiter.limitedCount() > RECORDINGS, "most acquisitions were refused: the refusal path was measured");
    }

    /** Bytes this thread allocated running {@code action} a million times, after as many runs to warm up. */
    private long allocatedBy(final Runnable action)
    {
        for (int i = 0; i < RECORDINGS; i++)
        {
            action.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < RECORDINGS; i++)
        {
            action.run();
        }
        return threads.getThreadAllocatedBytes(threadId) - before;
    }
}
