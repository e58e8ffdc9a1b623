package io.tally.store.rollup.day;

import org.agrona.collections.Long2LongHashMap;

/**
 * How many distinct texts each capped scope of an open day has kept (event names per hour, keys per name and hour,
 * values per key and hour, meta values per field and hour, sources per goal, dimension and hour): a new text
 * past {@link #MAX_NAMES}, {@link #MAX_KEYS} or {@link #MAX_VALUES} counts under {@code (other)}. Only the
 * open day needs them; a segment keeps what they let in.
 */
final class CapCounts
{
    static final int MAX_NAMES = RollupCaps.MAX_NAMES_PER_HOUR;
    static final int MAX_KEYS = RollupCaps.MAX_KEYS_PER_NAME;
    static final int MAX_VALUES = RollupCaps.MAX_VALUES_PER_KEY;

    static final int NAMES = 0;
    static final int KEYS = 1;
    static final int VALUES = 2;
    static final int META = 3;
    static final int SOURCES = 4;
    /** Site-wide pages per hour. */
    static final int PAGES = 5;

    private final Long2LongHashMap kept = new Long2LongHashMap(0);

    /** Whether the scope may keep one more text; when it may, that text is counted as kept. */
    boolean tryKeep(final int scope, final int hour, final int a, final int b, final int max)
    {
        final long key = key(scope, hour, a, b);
        final long count = kept.get(key);
        if (count >= max)
        {
            return false;
        }
        kept.put(key, count + 1);
        return true;
    }

    /** Counts one more kept text: the scope's {@code (other)} when it is made (one of its texts too), or a restored one. */
    void keepOther(final int scope, final int hour, final int a, final int b)
    {
        final long key = key(scope, hour, a, b);
        kept.put(key, kept.get(key) + 1);
    }

    /** scope 3 bits, hour 5, a 28, b 28: ids of a day's dictionary stay far below 2^28 under the caps. */
    private static long key(final int scope, final int hour, final int a, final int b)
    {
        return (long)scope << 61 | (long)hour << 56 | (long)(a & 0xFFFFFFF) << 28 | (b & 0xFFFFFFF);
    }
}
