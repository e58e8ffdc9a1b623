package io.tally.store.rollup.day;

import java.util.Arrays;

/**
 * Ordinals that come to a bitmap below its largest, held and later merged into it as one sorted run. Such an add is
 * a binary search and a shift of the container's tail (a visitor seen earlier in the day joins a later hour's cell,
 * or a page's), where a sorted run is one pass over the container. Bitmaps are named by a key (their cell and
 * which of its two). The runs are held in slabs of {@link #SLAB} ordinals from a pool of at most {@link #MAX_SLABS}:
 * the memory held is bounded, and a bitmap that finds no slab free is added to directly. Allocates nothing once its
 * pool has grown.
 */
final class SortedRuns
{
    static final int SLAB = 256;
    static final int MAX_SLABS = 256;
    private static final int NONE = -1;

    /** Takes a bitmap's run, sorted and free of repeats: {@code n} ordinals of {@code ordinals} from {@code from}. */
    interface Merger
    {
        void merge(int key, int[] ordinals, int from, int n);
    }

    private final Merger merger;
    private int[] data = new int[0];
    private int[] slabKey = new int[0];
    private int[] slabFill = new int[0];
    private int[] free = new int[0];
    private int freeCount;
    private int slabs;
    private int inUse;
    private int[] slabOf = filled(128);
    private boolean holding;

    SortedRuns(final Merger merger)
    {
        this.merger = merger;
    }

    /** From now until {@link #flush()}, ordinals are held: within a batch of records, where runs can grow. */
    void begin()
    {
        holding = true;
    }

    /** Holds {@code ordinal} for bitmap {@code key}; false outside a batch, or when no slab is to be had. */
    boolean hold(final int key, final int ordinal)
    {
        if (!holding)
        {
            return false;
        }
        if (key >= slabOf.length)
        {
            final int old = slabOf.length;
            slabOf = Arrays.copyOf(slabOf, Math.max(key + 1, old * 2));
            Arrays.fill(slabOf, old, slabOf.length, NONE);
        }
        int slab = slabOf[key];
        if (slab == NONE)
        {
            slab = take(key);
            if (slab == NONE)
            {
                return false;
            }
        }
        final int fill = slabFill[slab];
        data[slab * SLAB + fill] = ordinal;
        slabFill[slab] = fill + 1;
        if (fill + 1 == SLAB)
        {
            merge(slab);
        }
        return true;
    }

    /** Whether any ordinal is held: the bitmaps are then not to be read. */
    boolean holdsAny()
    {
        return inUse > 0;
    }

    /** Merges every run held into its bitmap, gives the slabs back and ends the batch. */
    void flush()
    {
        holding = false;
        for (int slab = 0; inUse > 0 && slab < slabs; slab++)
        {
            final int key = slabKey[slab];
            if (key != NONE)
            {
                merge(slab);
                slabOf[key] = NONE;
                slabKey[slab] = NONE;
                free[freeCount++] = slab;
                inUse--;
            }
        }
    }

    private int take(final int key)
    {
        final int slab;
        if (freeCount > 0)
        {
            slab = free[--freeCount];
        }
        else if (slabs < MAX_SLABS)
        {
            slab = slabs++;
            if (slab == slabKey.length)
            {
                grow();
            }
        }
        else
        {
            return NONE;
        }
        slabKey[slab] = key;
        slabFill[slab] = 0;
        slabOf[key] = slab;
        inUse++;
        return slab;
    }

    private void grow()
    {
        final int size = Math.min(MAX_SLABS, Math.max(8, slabKey.length * 2));
        data = Arrays.copyOf(data, size * SLAB);
        slabKey = Arrays.copyOf(slabKey, size);
        slabFill = Arrays.copyOf(slabFill, size);
        free = Arrays.copyOf(free, size);
    }

    /** Sorts the slab's run, drops its repeats and hands it over; the slab stays its bitmap's, empty. */
    private void merge(final int slab)
    {
        final int from = slab * SLAB;
        final int n = slabFill[slab];
        Arrays.sort(data, from, from + n);
        int distinct = n == 0 ? 0 : 1;
        for (int i = 1; i < n; i++)
        {
            if (data[from + i] != data[from + distinct - 1])
            {
                data[from + distinct++] = data[from + i];
            }
        }
        merger.merge(slabKey[slab], data, from, distinct);
        slabFill[slab] = 0;
    }

    private static int[] filled(final int size)
    {
        final int[] array = new int[size];
        Arrays.fill(array, NONE);
        return array;
    }
}
