package io.tally.store.rollup.day;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Dense ordinals for one day's visitor (or session) ids, so the day's bitmaps are small 32-bit Roaring bitmaps
 * whose unions are exact (a dictionary, not a hash: two ids never share an ordinal). A delta of a sealed day
 * continues the sealed day's ordinals: ids the day already knows keep theirs ({@link Known}), new ones are
 * numbered after them. Looking up a known id allocates nothing.
 */
public final class Ordinals
{
    /** The ordinals a sealed day (and its earlier deltas) gave out. */
    public interface Known
    {
        Known NONE = new Known()
        {
            @Override
            public int ordinalOf(final long id)
            {
                return -1;
            }

            @Override
            public int count()
            {
                return 0;
            }
        };

        /** The id's ordinal, or -1. */
        int ordinalOf(long id);

        /** How many ordinals were given out: the next new one is this. */
        int count();
    }

    private static final long MISSING = -1;

    private final Known known;
    private final Long2LongHashMap ordinals;
    private long[] ids;
    private int added;

    public Ordinals(final Known known)
    {
        this(known, 0);
    }

    /** Sized for {@code expected} ids (a day of a site is much like the one before), so the table rarely grows. */
    public Ordinals(final Known known, final int expected)
    {
        this.known = known;
        this.ordinals = new Long2LongHashMap(Math.max(64, (int)(expected / 0.65f) + 1), 0.65f, MISSING);
        this.ids = new long[Math.max(256, expected)];
    }

    /** The id's ordinal, given out now when the id is new to the day. */
    public int ordinal(final long id)
    {
        final long existing = ordinals.get(id);
        if (existing != MISSING)
        {
            return (int)existing;
        }
        int ordinal = known.ordinalOf(id);
        if (ordinal < 0)
        {
            ordinal = known.count() + added;
            if (added == ids.length)
            {
                ids = Arrays.copyOf(ids, added * 2);
            }
            ids[added++] = id;
        }
        ordinals.put(id, ordinal);
        return ordinal;
    }

    /** Gives {@code id} the next ordinal, as it had before (restoring a snapshot, in ordinal order). */
    public void restore(final long id)
    {
        ordinal(id);
    }

    /** Ordinals given out here, after the known ones. */
    public int added()
    {
        return added;
    }

    /** The first ordinal given out here. */
    public int first()
    {
        return known.count();
    }

    /** The id of the {@code n}th ordinal given out here (ordinal {@code first() + n}). */
    public long addedId(final int n)
    {
        return ids[n];
    }
}
