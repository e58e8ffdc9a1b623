package io.tally.bench.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopScheduleTest
{
    private static final long MS = 1_000_000;

    @Test
    void requestsFallDueAtTheRateFromTheStartWithTheirIntendedTimes()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(5 * MS, 1000, 100);
        assertEquals(0, schedule.advance(4 * MS, Long.MAX_VALUE));
        assertEquals(1, schedule.advance(5 * MS, Long.MAX_VALUE));
        assertEquals(9, schedule.advance(15 * MS - 1, Long.MAX_VALUE));
        assertEquals(1, schedule.advance(15 * MS, Long.MAX_VALUE));
        assertEquals(11, schedule.issued());
        for (int k = 0; k < 11; k++)
        {
            assertEquals(5 * MS + k * MS, schedule.take());
        }
        assertFalse(schedule.hasPending());
        assertThrows(IllegalStateException.class, schedule::take);
    }

    @Test
    void theCountLimitStopsIssuing()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1000, 100);
        assertEquals(3, schedule.advance(50 * MS, 3));
        assertEquals(0, schedule.advance(60 * MS, 3));
        assertEquals(3, schedule.issued());
    }

    @Test
    void dueRequestsPastTheQueueBoundAreCountedAsOverflowedNotQueued()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1000, 5);
        assertEquals(5, schedule.advance(10 * MS, Long.MAX_VALUE));
        assertEquals(11, schedule.issued());
        assertEquals(6, schedule.overflowed());
        assertEquals(5, schedule.pendingCount());
        schedule.take();
        assertEquals(1, schedule.advance(11 * MS, Long.MAX_VALUE));
        assertEquals(6, schedule.overflowed());
    }

    /**
     * One connection, 1,000 requests/s, answers in 0.1 ms, except that the server stalls for 200 ms on the
     * first request. Measured from the intended send time, every request queued behind the stall is late
     * (about 220 of them: the 200 due during the stall and those due while the backlog drains); measured from the actual send (what a closed loop
     * sees, coordinated omission) only one request would be.
     */
    @Test
    void aStallShowsInEveryRequestItDelayed()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1000, 10_000);
        final Histogram corrected = new Histogram(LoadResult.HIGHEST_MICROS, 3);
        final Histogram uncorrected = new Histogram(LoadResult.HIGHEST_MICROS, 3);
        long now = 0;
        final long end = 1000 * MS;
        while (now < end)
        {
            schedule.advance(now, Long.MAX_VALUE);
            if (!schedule.hasPending())
            {
                now += MS / 10;
                continue;
            }
            final long intended = schedule.take();
            final long service = schedule.issued() == 1 ? 200 * MS : MS / 10;
            final long answered = now + service;
            corrected.recordValue((answered - intended) / 1000);
            uncorrected.recordValue((answered - now) / 1000);
            now = answered;
        }
        assertEquals(corrected.getTotalCount(), uncorrected.getTotalCount());
        assertEquals(1, uncorrected.getCountBetweenValues(1_000, LoadResult.HIGHEST_MICROS));
        final long late = corrected.getCountBetweenValues(1_000, LoadResult.HIGHEST_MICROS);
        assertTrue(late >= 200 && late <= 230, "requests late by over 1 ms: " + late);
        assertTrue(corrected.getValueAtPercentile(99) >= 150_000, "corrected p99 " + corrected.getValueAtPercentile(99));
        assertTrue(uncorrected.getValueAtPercentile(99) < 1_000, "uncorrected p99 " + uncorrected.getValueAtPercentile(99));
    }
}
