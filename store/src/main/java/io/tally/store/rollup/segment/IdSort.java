package io.tally.store.rollup.segment;

/**
 * Sorts a day's ids (signed, ascending, as {@code Segment}'s binary search reads them) together with their
 * ordinals: a least-significant-digit radix sort, eight passes of a byte (a pass's 256 counts stay in the
 * first-level cache, and a small delta's sort costs little), the eight passes' counts taken in one read first.
 * Sorting the ids alone and then looking each one's ordinal up again cost a hash-table cache miss per id; this
 * costs nine sequential passes.
 */
final class IdSort
{
    private static final int DIGIT_BITS = 8;
    private static final int DIGITS = 1 << DIGIT_BITS;
    private static final int PASSES = Long.SIZE / DIGIT_BITS;

    private IdSort()
    {
    }

    /** Sorts {@code ids} ascending, moving each {@code ordinals} entry with its id. */
    static void sort(final long[] ids, final int[] ordinals)
    {
        final int[][] next = starts(ids);
        long[] fromIds = ids;
        int[] fromOrdinals = ordinals;
        long[] toIds = new long[ids.length];
        int[] toOrdinals = new int[ids.length];
        for (int pass = 0; pass < PASSES; pass++)
        {
            final int shift = pass * DIGIT_BITS;
            final int[] at = next[pass];
            for (int i = 0; i < fromIds.length; i++)
            {
                final int to = at[digit(fromIds[i], shift)]++;
                toIds[to] = fromIds[i];
                toOrdinals[to] = fromOrdinals[i];
            }
            final long[] ids2 = fromIds;
            fromIds = toIds;
            toIds = ids2;
            final int[] ordinals2 = fromOrdinals;
            fromOrdinals = toOrdinals;
            toOrdinals = ordinals2;
        }
        // an even number of passes: the sorted arrays are the caller's own again
    }

    /** For each pass, each digit's first position in that pass's output: all eight counted in one read of the ids. */
    private static int[][] starts(final long[] ids)
    {
        final int[][] next = new int[PASSES][DIGITS];
        for (final long id : ids)
        {
            for (int pass = 0; pass < PASSES; pass++)
            {
                next[pass][digit(id, pass * DIGIT_BITS)]++;
            }
        }
        for (final int[] counts : next)
        {
            int start = 0;
            for (int d = 0; d < DIGITS; d++)
            {
                final int count = counts[d];
                counts[d] = start;
                start += count;
            }
        }
        return next;
    }

    /** The id's digit at {@code shift}; the top digit's sign bit flipped, so negative ids sort first. */
    private static int digit(final long id, final int shift)
    {
        final long signed = shift == Long.SIZE - DIGIT_BITS ? id ^ Long.MIN_VALUE : id;
        return (int)(signed >>> shift) & (DIGITS - 1);
    }
}
