package io.tally.store.rollup.day;

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

    /** The ordinal half of a slot no id holds. */
    private static final long EMPTY = -1;
    private static final float LOAD = 0.65f;

    private final Known known;
    /**
     * The ids' ordinals, open addressing with linear probing: slot {@code i} holds an id at {@code 2i} and its
     * ordinal at {@code 2i + 1} ({@link #EMPTY} for none), so a lookup reads one cache line, which matters as a
     * busy day's table is megabytes and nearly every lookup of a new id misses the cache.
     */
    private long[] slots;
    private int shift;
    private int size;
    private int resizeAt;
    /** Where {@link #prefetch} puts what it read, so the read is not optimised away. */
    private long prefetched;
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
        this.ids = new long[Math.max(256, expected)];
        allocate(Math.max(64, 1 << 32 - Integer.numberOfLeadingZeros((int)(expected / LOAD))));
    }

    /** The id's ordinal, given out now when the id is new to the day. */
    public int ordinal(final long id)
    {
        final long[] slots = this.slots;
        final int mask = (slots.length >> 1) - 1;
        for (int slot = slot(id); ; slot = (slot + 1) & mask)
        {
            final long ordinal = slots[2 * slot + 1];
            if (ordinal == EMPTY)
            {
                return add(id, slot);
            }
            if (slots[2 * slot] == id)
            {
                return (int)ordinal;
            }
        }
    }

    /**
     * Reads the id's first slot, so that a lookup of it soon after finds it in the cache: called before other work
     * (another id's lookup), the two cache misses overlap instead of following each other.
     */
    public void prefetch(final long id)
    {
        prefetched = slots[2 * slot(id) + 1];
    }

    private int add(final long id, final int slot)
    {
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
        slots[2 * slot] = id;
        slots[2 * slot + 1] = ordinal;
        if (++size > resizeAt)
        {
            rehash();
        }
        return ordinal;
    }

    /** Fibonacci hashing: the top bits of the id times the golden ratio, every bit of the id mixed into them. */
    private int slot(final long id)
    {
        return (int)((id * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void allocate(final int slotCount)
    {
        slots = new long[2 * slotCount];
        Arrays.fill(slots, EMPTY);
        shift = Long.numberOfLeadingZeros(slotCount - 1);
        resizeAt = (int)(slotCount * LOAD);
    }

    private void rehash()
    {
        final long[] old = slots;
        allocate(old.length);
        final int mask = (slots.length >> 1) - 1;
        for (int i = 0; i < old.length; i += 2)
        {
            if (old[i + 1] != EMPTY)
            {
                int slot = slot(old[i]);
                while (slots[2 * slot + 1] != EMPTY)
                {
                    slot = (slot + 1) & mask;
                }
                slots[2 * slot] = old[i];
                slots[2 * slot + 1] = old[i + 1];
            }
        }
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
