package io.tally.engine.limit;

import io.tally.engine.identity.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The most refused addresses in fixed memory (Space-Saving). */
class TopLimitedTest
{
    @Test
    void heavyHittersAreListedExactlyWhileTheyFit()
    {
        final TopLimited top = new TopLimited(4);
        for (int i = 0; i < 30; i++)
        {
            top.record(0, 1);
        }
        for (int i = 0; i < 20; i++)
        {
            top.record(0, 2);
        }
        top.record(0, 3);
        final List<TopLimited.Entry> entries = top.top(10);
        assertEquals(3, entries.size());
        assertEquals(new IpAddress().set(0, 1).toString(), entries.get(0).address().toString());
        assertEquals(30, entries.get(0).count());
        assertEquals(0, entries.get(0).error());
        assertEquals(20, entries.get(1).count());
        assertEquals(1, top.top(1).size(), "the limit cuts the list");
    }

    @Test
    void aFloodOfDistinctAddressesNeitherGrowsTheListNorHidesTheHeavyHitter()
    {
        final TopLimited top = new TopLimited(4);
        for (long i = 0; i < 10_000; i++)
        {
            top.record(1, 1_000 + i);
            if (i % 2 == 0)
            {
                top.record(0, 7);
            }
        }
        final List<TopLimited.Entry> entries = top.top(100);
        assertEquals(4, entries.size(), "capacity bounds the memory");
        assertEquals(new IpAddress().set(0, 7).toString(), entries.get(0).address().toString());
        assertTrue(entries.get(0).count() >= 5_000, "counted at least as often as it was refused");
        assertTrue(entries.get(0).count() - entries.get(0).error() <= 5_000, "the guaranteed part never overcounts");
    }
}
