package io.tally.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterSizingTest
{
    /** Samples: {time ns, accepted so far, counted so far}; the n-th event accepted is the n-th counted. */
    @Test
    void eachEventsDelayRunsFromTheSampleThatSawIt202ToTheOneThatSawItCounted()
    {
        final List<long[]> samples = List.of(
            new long[] {0, 0, 0},
            new long[] {10, 2, 0},
            new long[] {20, 3, 1},
            new long[] {30, 3, 3});
        // events 1 and 2 accepted at 10, counted at 20 and 30; event 3 accepted at 20, counted at 30
        assertArrayEquals(new long[] {10, 10, 20}, ClusterSizing.delays(samples));
    }

    @Test
    void percentilesAreTheNearestRank()
    {
        final long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, ClusterSizing.percentile(sorted, 50));
        assertEquals(10, ClusterSizing.percentile(sorted, 99));
        assertEquals(0, ClusterSizing.percentile(new long[0], 99));
    }
}
