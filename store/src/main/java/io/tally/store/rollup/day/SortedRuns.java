package io.tally.store.rollup.day;

import org.roaringbitmap.ArrayContainer;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;

/**
 * Ordinals that come to a bitmap below its largest, held and later merged into it as one sorted run. Such an add is
 * a binary search and a shift of the container's tail (a visitor seen earlier in the day joins a later hour's cell,
 * or a page's), where a sorted run is one pass over the container.
 * <p>
 * One per {@code Rollups}, lent to the day a batch of records goes to (one day at a time: the rollups flush a day
 * before they move on to another). Bitmaps are named by a key (their cell and which of its two). The runs are held
 * in slabs of {@link #SLAB} ordinals, at most {@link #MAX_SLABS} of them, so the memory held is bounded whatever the
 * number of sites and days: when every slab is taken, a bitmap without one is added to directly (merging every run
 * early to free the slabs measured slower: the runs were cut short). Holding allocates nothing once grown; merging a
 * long run allocates a few small objects (see {@link #unite}).
 */
public final class SortedRuns
{
    static final int SLAB = 256;
    static final int MAX_SLABS = 256;
    /** A run shorter than this is added one by one: a union costs a pass over the bitmap's containers. */
    private static final int SHORT_RUN = 16;
    private static final int NONE = -1;

    /** The bitmaps of the day the runs are lent to, by key. */
    interface Bitmaps
    {
        RoaringBitmap bitmap(int key);
    }

    private Bitmaps lentTo;
    private final RoaringBitmap run = new RoaringBitmap();
    private final char[] runLows = new char[SLAB];
    private int[] data = new int[0];
    private int[] slabKey = new int[0];
    private int[] slabFill = new int[0];
    /** Slabs 0 to {@code inUse - 1} are taken; all are given back together. */
    private int inUse;
    private int[] slabOf = filled(128);

    /** From now until {@link #flush()}, ordinals of {@code owner}'s bitmaps are held. */
    void begin(final Bitmaps owner)
    {
        if (lentTo != null && lentTo != owner)
        {
            throw new IllegalStateException("runs lent to a day while another holds some: flush that day first");
        }
        lentTo = owner;
    }

    /** Holds {@code ordinal} for bitmap {@code key}; false when every slab is taken (add it directly then). */
    boolean hold(final int key, final int ordinal)
    {
        if (key >= slabOf.length)
        {
            final int old = slabOf.length;
            slabOf = Arrays.copyOf(slabOf, Math.max(key + 1, old * 2));
            Arrays.fill(slabOf, old, slabOf.length, NONE);
        }
        int slab = slabOf[key];
        if (slab == NONE)
        {
            if (inUse == MAX_SLABS)
            {
                return false;
            }
            slab = take(key);
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

    /**
     * Merges every run held into its bitmap, gives the slabs back and ends the loan; even when a merge fails, the
     * runs are emptied and the loan ended (the rollups then reload their figures from the checkpoint).
     */
    void flush()
    {
        try
        {
            for (int slab = 0; slab < inUse; slab++)
            {
                merge(slab);
            }
        }
        finally
        {
            release();
            lentTo = null;
        }
    }

    private void release()
    {
        for (int slab = 0; slab < inUse; slab++)
        {
            slabOf[slabKey[slab]] = NONE;
        }
        inUse = 0;
    }

    private int take(final int key)
    {
        final int slab = inUse++;
        if (slab == slabKey.length)
        {
            final int size = Math.min(MAX_SLABS, Math.max(8, slabKey.length * 2));
            data = Arrays.copyOf(data, size * SLAB);
            slabKey = Arrays.copyOf(slabKey, size);
            slabFill = Arrays.copyOf(slabFill, size);
        }
        slabKey[slab] = key;
        slabFill[slab] = 0;
        slabOf[key] = slab;
        return slab;
    }

    /** Sorts the slab's run, drops its repeats and puts it into its bitmap; the slab stays the bitmap's, empty. */
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
        unite(lentTo.bitmap(slabKey[slab]), from, distinct);
        slabFill[slab] = 0;
    }

    /**
     * A sorted run of {@code n} ordinals of {@link #data} from {@code from}, put into {@code bitmap}: a short run one
     * by one, a longer one as a small bitmap of its own (an array container per 65,536 ordinals, each a copy of the
     * reused array) united into it. That allocates a few small objects per run of at least {@link #SHORT_RUN}, none
     * per ordinal.
     */
    private void unite(final RoaringBitmap bitmap, final int from, final int n)
    {
        if (n < SHORT_RUN)
        {
            for (int i = from; i < from + n; i++)
            {
                bitmap.add(data[i]);
            }
            return;
        }
        run.clear();
        for (int i = from; i < from + n; )
        {
            final int high = data[i] >>> 16;
            int lows = 0;
            for (; i < from + n && data[i] >>> 16 == high; i++)
            {
                runLows[lows++] = (char)data[i];
            }
            run.append((char)high, new ArrayContainer(lows, runLows));
        }
        bitmap.or(run);
    }

    private static int[] filled(final int size)
    {
        final int[] array = new int[size];
        Arrays.fill(array, NONE);
        return array;
    }
}
