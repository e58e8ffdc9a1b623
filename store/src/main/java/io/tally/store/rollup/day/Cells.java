package io.tally.store.rollup.day;

import org.HdrHistogram.Histogram;
import org.roaringbitmap.RoaringBitmap;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The cells of one open day, column by column in growing primitive arrays, found through an open-addressing
 * index on their keys ({@link CellKind}): adding to a known cell allocates nothing; a new cell costs a slot in
 * each column, a bitmap or histogram only once something is put in it.
 * <p>
 * Money is an exact decimal: an unscaled long and a scale, brought to the larger scale on each addition. A sum
 * that no longer fits a long moves to a {@code BigDecimal} kept beside the columns (never seen with real
 * revenue: a long holds 92 quadrillion at two decimals).
 */
public final class Cells
{
    public static final int NONE = -1;
    /** The scale of a cell without money. */
    public static final int NO_MONEY = -1;
    private static final long[] POWERS_OF_TEN = new long[19];

    static
    {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private int count;
    private int[] kindHour = new int[64];
    private int[] k1 = new int[64];
    private int[] k2 = new int[64];
    private int[] k3 = new int[64];
    private long[] c0 = new long[64];
    private long[] c1 = new long[64];
    private long[] c2 = new long[64];
    private long[] unscaled = new long[64];
    private int[] scale = filled(64);
    private RoaringBitmap[] b0 = new RoaringBitmap[64];
    private RoaringBitmap[] b1 = new RoaringBitmap[64];
    /** The largest ordinal in each bitmap (-1 for none): a larger one is appended, a smaller one held in a run. */
    private int[] last0 = filled(64);
    private int[] last1 = filled(64);
    /** The rollups' runs while a batch's records come to this day (see {@link #beginBatch}); else null. */
    private SortedRuns runs;
    private final SortedRuns.Bitmaps bitmaps = this::bitmapOf;
    private Histogram[] histograms = new Histogram[64];
    private final Map<Integer, BigDecimal> bigMoney = new HashMap<>();
    private int[] table = filled(128);

    /** The cell with this key, made when new. */
    public int cell(final CellKind kind, final int hour, final int key1, final int key2, final int key3)
    {
        final int kh = CellKind.kindHour(kind, hour);
        final int hash = hash(kh, key1, key2, key3);
        final int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            final int cell = table[slot];
            if (cell == NONE)
            {
                return add(slot, kh, key1, key2, key3);
            }
            if (kindHour[cell] == kh && k1[cell] == key1 && k2[cell] == key2 && k3[cell] == key3)
            {
                return cell;
            }
        }
    }

    /** The cell with this key, or {@link #NONE}. */
    public int find(final CellKind kind, final int hour, final int key1, final int key2, final int key3)
    {
        final int kh = CellKind.kindHour(kind, hour);
        final int mask = table.length - 1;
        for (int slot = hash(kh, key1, key2, key3) & mask; ; slot = (slot + 1) & mask)
        {
            final int cell = table[slot];
            if (cell == NONE || kindHour[cell] == kh && k1[cell] == key1 && k2[cell] == key2 && k3[cell] == key3)
            {
                return cell;
            }
        }
    }

    public int count()
    {
        return count;
    }

    public void add0(final int cell, final long delta)
    {
        c0[cell] += delta;
    }

    public void add1(final int cell, final long delta)
    {
        c1[cell] += delta;
    }

    public void add2(final int cell, final long delta)
    {
        c2[cell] += delta;
    }

    /** Adds an ordinal to the cell's first bitmap; in a batch, one below its largest is held until {@link #flush()}. */
    public void addBitmap0(final int cell, final int ordinal)
    {
        addOrdinal(b0, last0, cell, cell << 1, ordinal);
    }

    public void addBitmap1(final int cell, final int ordinal)
    {
        addOrdinal(b1, last1, cell, cell << 1 | 1, ordinal);
    }

    private void addOrdinal(final RoaringBitmap[] bitmaps, final int[] largest, final int cell, final int key, final int ordinal)
    {
        final int last = largest[cell];
        if (ordinal > last)
        {
            RoaringBitmap bitmap = bitmaps[cell];
            if (bitmap == null)
            {
                bitmap = new RoaringBitmap();
                bitmaps[cell] = bitmap;
            }
            bitmap.add(ordinal);
            largest[cell] = ordinal;
        }
        else if (ordinal != last && (runs == null || !runs.hold(key, ordinal)))
        {
            bitmaps[cell].add(ordinal);
        }
    }

    /**
     * From now until {@link #flush()}, an ordinal below a bitmap's largest is held in {@code batchRuns}, to be merged
     * in a sorted run: for a batch of records. Outside one, each is added at once (a run of one costs more than an add).
     */
    public void beginBatch(final SortedRuns batchRuns)
    {
        batchRuns.begin(bitmaps);
        runs = batchRuns;
    }

    /** Merges the ordinals held into their bitmaps and ends the batch: before the bitmaps are read. */
    public void flush()
    {
        final SortedRuns held = runs;
        if (held != null)
        {
            runs = null;
            held.flush();
        }
    }

    /** The bitmap {@code key} names for {@link SortedRuns}: cell {@code key / 2}'s first or second. */
    private RoaringBitmap bitmapOf(final int key)
    {
        return (key & 1) == 0 ? b0[key >>> 1] : b1[key >>> 1];
    }

    /** Unites a bitmap into the cell's first bitmap (merging hours or days). */
    public void orBitmap0(final int cell, final org.roaringbitmap.ImmutableBitmapDataProvider bitmap)
    {
        b0[cell] = or(b0[cell], bitmap);
        last0[cell] = b0[cell].isEmpty() ? NONE : b0[cell].last();
    }

    public void orBitmap1(final int cell, final org.roaringbitmap.ImmutableBitmapDataProvider bitmap)
    {
        b1[cell] = or(b1[cell], bitmap);
        last1[cell] = b1[cell].isEmpty() ? NONE : b1[cell].last();
    }

    private static RoaringBitmap or(final RoaringBitmap into, final org.roaringbitmap.ImmutableBitmapDataProvider bitmap)
    {
        final RoaringBitmap target = into == null ? new RoaringBitmap() : into;
        target.or(bitmap instanceof RoaringBitmap ? (RoaringBitmap)bitmap :
            ((org.roaringbitmap.buffer.ImmutableRoaringBitmap)bitmap).toRoaringBitmap());
        return target;
    }

    /** Adds a histogram's values to the cell's. */
    public void addHistogram(final int cell, final Histogram histogram)
    {
        if (histograms[cell] == null)
        {
            final Histogram copy = new Histogram(3);
            copy.setAutoResize(true);
            histograms[cell] = copy;
        }
        histograms[cell].add(histogram);
    }

    /** Adds another cell's money (a {@code BigDecimal} sum, when it came from one) to this cell's. */
    public void addMoney(final int cell, final BigDecimal amount)
    {
        final BigDecimal scaled = amount.scale() < 0 ? amount.setScale(0) : amount;
        try
        {
            addMoney(cell, scaled.unscaledValue().longValueExact(), scaled.scale());
        }
        catch (final ArithmeticException tooLarge)
        {
            bigMoney.put(cell, money(cell) == null ? scaled : money(cell).add(scaled));
        }
    }

    public void record(final int cell, final long value)
    {
        Histogram histogram = histograms[cell];
        if (histogram == null)
        {
            histogram = new Histogram(3);
            histogram.setAutoResize(true);
            histograms[cell] = histogram;
        }
        histogram.recordValue(value);
    }

    /** Adds an exact decimal {@code amountUnscaled * 10^-amountScale} to the cell's money. */
    public void addMoney(final int cell, final long amountUnscaled, final int amountScale)
    {
        if (amountScale < 0)
        {
            addMoney(cell, BigDecimal.valueOf(amountUnscaled, amountScale).setScale(0));
            return;
        }
        final int current = scale[cell];
        if (current == NO_MONEY)
        {
            unscaled[cell] = amountUnscaled;
            scale[cell] = amountScale;
            return;
        }
        if (bigMoney.isEmpty() || !bigMoney.containsKey(cell))
        {
            try
            {
                if (current >= amountScale)
                {
                    unscaled[cell] = Math.addExact(unscaled[cell], Math.multiplyExact(amountUnscaled, power(current - amountScale)));
                }
                else
                {
                    unscaled[cell] = Math.addExact(Math.multiplyExact(unscaled[cell], power(amountScale - current)), amountUnscaled);
                    scale[cell] = amountScale;
                }
                return;
            }
            catch (final ArithmeticException overflow)
            {
                bigMoney.put(cell, BigDecimal.valueOf(unscaled[cell], scale[cell]));
            }
        }
        bigMoney.merge(cell, BigDecimal.valueOf(amountUnscaled, amountScale), BigDecimal::add);
    }

    private static long power(final int exponent)
    {
        if (exponent >= POWERS_OF_TEN.length)
        {
            throw new ArithmeticException("10^" + exponent);
        }
        return POWERS_OF_TEN[exponent];
    }

    /** The cell's money, exact; null when it has none. */
    public BigDecimal money(final int cell)
    {
        final BigDecimal big = bigMoney.get(cell);
        if (big != null)
        {
            return big;
        }
        return scale[cell] == NO_MONEY ? null : BigDecimal.valueOf(unscaled[cell], scale[cell]);
    }

    public CellKind kind(final int cell)
    {
        return CellKind.kindOf(kindHour[cell]);
    }

    public int hour(final int cell)
    {
        return CellKind.hourOf(kindHour[cell]);
    }

    public int kindHour(final int cell)
    {
        return kindHour[cell];
    }

    public int key1(final int cell)
    {
        return k1[cell];
    }

    public int key2(final int cell)
    {
        return k2[cell];
    }

    public int key3(final int cell)
    {
        return k3[cell];
    }

    public long count0(final int cell)
    {
        return c0[cell];
    }

    public long count1(final int cell)
    {
        return c1[cell];
    }

    public long count2(final int cell)
    {
        return c2[cell];
    }

    /** The cell's first bitmap, or null. Read it only while nothing is added, and after {@link #flush()}. */
    public RoaringBitmap bitmap0(final int cell)
    {
        checkFlushed();
        return b0[cell];
    }

    public RoaringBitmap bitmap1(final int cell)
    {
        checkFlushed();
        return b1[cell];
    }

    private void checkFlushed()
    {
        if (runs != null && runs.holdsAny())
        {
            throw new IllegalStateException("a bitmap read with ordinals held for it: flush the day first");
        }
    }

    public Histogram histogram(final int cell)
    {
        return histograms[cell];
    }

    private int add(final int slot, final int kh, final int key1, final int key2, final int key3)
    {
        if (count == kindHour.length)
        {
            grow();
        }
        final int cell = count++;
        kindHour[cell] = kh;
        k1[cell] = key1;
        k2[cell] = key2;
        k3[cell] = key3;
        table[slot] = cell;
        if (count * 2 > table.length)
        {
            rehash();
        }
        return cell;
    }

    private void grow()
    {
        final int size = kindHour.length * 2;
        kindHour = Arrays.copyOf(kindHour, size);
        k1 = Arrays.copyOf(k1, size);
        k2 = Arrays.copyOf(k2, size);
        k3 = Arrays.copyOf(k3, size);
        c0 = Arrays.copyOf(c0, size);
        c1 = Arrays.copyOf(c1, size);
        c2 = Arrays.copyOf(c2, size);
        unscaled = Arrays.copyOf(unscaled, size);
        final int old = scale.length;
        scale = Arrays.copyOf(scale, size);
        Arrays.fill(scale, old, size, NO_MONEY);
        b0 = Arrays.copyOf(b0, size);
        b1 = Arrays.copyOf(b1, size);
        last0 = Arrays.copyOf(last0, size);
        Arrays.fill(last0, old, size, NONE);
        last1 = Arrays.copyOf(last1, size);
        Arrays.fill(last1, old, size, NONE);
        histograms = Arrays.copyOf(histograms, size);
    }

    private void rehash()
    {
        table = filled(table.length * 2);
        final int mask = table.length - 1;
        for (int cell = 0; cell < count; cell++)
        {
            int slot = hash(kindHour[cell], k1[cell], k2[cell], k3[cell]) & mask;
            while (table[slot] != NONE)
            {
                slot = (slot + 1) & mask;
            }
            table[slot] = cell;
        }
    }

    private static int hash(final int kh, final int key1, final int key2, final int key3)
    {
        long h = kh * 0x9E3779B97F4A7C15L;
        h = (h ^ key1) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ key2) * 0x9E3779B97F4A7C15L;
        h = (h ^ key3) * 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 32));
    }

    private static int[] filled(final int size)
    {
        final int[] array = new int[size];
        Arrays.fill(array, NONE);
        return array;
    }
}
