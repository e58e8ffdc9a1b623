package io.tally.store.rollup.segment;

/**
 * Sorts a day's ids (signed, ascending, as {@code Segment}'s binary search reads them) together with their
 * ordinals: a least-significant-digit radix sort, eight passes of a byte (a pass's 256 counts stay in the
 * first-level cache, and a small delta's sort costs little). Sorting the ids alone and then looking each one's
 * ordinal up again cost a hash-table cache miss per id; this costs eight sequential passes.
 */
final class IdSort
{
    private static final int DIGIT_BITS = 8;
    private static final int DIGITS = 1 << DIGIT_BITS;

    private IdSort()
    {
    }

    /** Sorts {@code ids} ascending, moving each {@code ordinals} entry with its id. */
    static void sort(final long[] ids, final int[] ordinals)
    {
        long[] fromIds = ids;
        int[] fromOrdinals = ordinals;
        long[] toIds = new long[ids.length];
        int[] toOrdinals = new int[ids.length];
        final int[] next = new int[DIGITS];
        for (int shift = 0; shift < Long.SIZE; shift += DIGIT_BITS)
        {
            starts(fromIds, shift, next);
            for (int i = 0; i < fromIds.length; i++)
            {
                final int at = next[digit(fromIds[i], shift)]++;
                toIds[at] = fromIds[i];
                toOrdinals[at] = fromOrdinals[i];
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

    /** Each digit's first position in this pass's output. */
    private static void starts(final long[] ids, final int shift, final int[] next)
    {
        java.util.Arrays.fill(next, 0);
        for (final long id : ids)
        {
            next[digit(id, shift)]++;
        }
        int start = 0;
        for (int d = 0; d < DIGITS; d++)
        {
            final int count = next[d];
            next[d] = start;
            start += count;
        }
    }

    /** The id's digit at {@code shift}; the top digit's sign bit flipped, so negative ids sort first. */
    private static int digit(final long id, final int shift)
    {
        final long signed = shift == Long.SIZE - DIGIT_BITS ? id ^ Long.MIN_VALUE : id;
        return (int)(signed >>> shift) & (DIGITS - 1);
    }
}
