package io.tally.store.rollup.segment;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IdSortTest
{
    @Test
    void sortsSignedIdsWithTheirOrdinals()
    {
        for (final int count : new int[] {0, 1, 2, 255, 256, 257, 70_000})
        {
            final SplittableRandom random = new SplittableRandom(count);
            final long[] ids = new long[count];
            final int[] ordinals = new int[count];
            for (int n = 0; n < count; n++)
            {
                // the extremes and ids that differ only in one byte among random ones
                ids[n] = n % 7 == 0 ? Long.MIN_VALUE + n : n % 7 == 1 ? Long.MAX_VALUE - n : n % 7 == 2 ? (long)n << 40
                    : random.nextLong();
                ordinals[n] = 1000 + n;
            }
            final long[] original = ids.clone();
            final long[] expected = ids.clone();
            Arrays.sort(expected);
            IdSort.sort(ids, ordinals);
            assertArrayEquals(expected, ids, "ids of " + count);
            for (int n = 0; n < count; n++)
            {
                assertEquals(ids[n], original[ordinals[n] - 1000], "the ordinal moved with its id");
            }
        }
    }
}
