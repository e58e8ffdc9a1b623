package io.tally.store.rollup;

import io.tally.store.rollup.day.DayFigures;
import org.HdrHistogram.Histogram;
import org.roaringbitmap.ImmutableBitmapDataProvider;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

import java.math.BigDecimal;

/**
 * One key's figures in one day, gathered from the cells of several hours or sources (a sealed day and its
 * deltas share their ordinals, so their bitmaps unite exactly), or taken whole from a whole-day cell. Its texts
 * are the key's, decoded; numeric keys stay numbers. A cold path: queries only.
 */
final class CellSum
{
    final String text1;
    final int number2;
    final String text2;
    final String text3;
    long count0;
    long count1;
    long count2;
    BigDecimal money;
    private RoaringBitmap bitmap0;
    private RoaringBitmap bitmap1;
    private long cardinality0 = -1;
    private long cardinality1 = -1;
    Histogram histogram;

    CellSum(final String text1, final int number2, final String text2, final String text3)
    {
        this.text1 = text1;
        this.number2 = number2;
        this.text2 = text2;
        this.text3 = text3;
    }

    /** Adds a cell whose bitmaps will be united with others'. */
    void add(final DayFigures figures, final int cell)
    {
        addMeasures(figures, cell);
        bitmap0 = or(bitmap0, figures.bitmap0(cell));
        bitmap1 = or(bitmap1, figures.bitmap1(cell));
    }

    /** Takes a whole-day cell as it is: its bitmaps' cardinalities are stored beside them. */
    void take(final DayFigures figures, final int cell)
    {
        addMeasures(figures, cell);
        cardinality0 = figures.cardinality0(cell);
        cardinality1 = figures.cardinality1(cell);
    }

    private void addMeasures(final DayFigures figures, final int cell)
    {
        count0 += figures.count0(cell);
        count1 += figures.count1(cell);
        count2 += figures.count2(cell);
        final BigDecimal amount = figures.money(cell);
        if (amount != null)
        {
            money = money == null ? amount : money.add(amount);
        }
    }

    /** Adds the cell's histogram only: decoding one costs more than all the other measures together. */
    void addHistogram(final DayFigures figures, final int cell)
    {
        final Histogram cellHistogram = figures.histogram(cell);
        if (cellHistogram != null)
        {
            if (histogram == null)
            {
                histogram = new Histogram(3);
                histogram.setAutoResize(true);
            }
            histogram.add(cellHistogram);
        }
    }

    long cardinality0()
    {
        return cardinality0 >= 0 ? cardinality0 : bitmap0 == null ? 0 : bitmap0.getLongCardinality();
    }

    long cardinality1()
    {
        return cardinality1 >= 0 ? cardinality1 : bitmap1 == null ? 0 : bitmap1.getLongCardinality();
    }

    private static RoaringBitmap or(final RoaringBitmap into, final ImmutableBitmapDataProvider bitmap)
    {
        if (bitmap == null)
        {
            return into;
        }
        final RoaringBitmap target = into == null ? new RoaringBitmap() : into;
        target.or(bitmap instanceof RoaringBitmap ? (RoaringBitmap)bitmap : ((ImmutableRoaringBitmap)bitmap).toRoaringBitmap());
        return target;
    }
}
