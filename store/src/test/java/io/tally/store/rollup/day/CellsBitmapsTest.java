package io.tally.store.rollup.day;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A cell's bitmaps hold exactly the ordinals added, whether each was appended, held in a sorted run and merged (at
 * a flush, or when its slab filled), or added directly because every slab was taken.
 */
class CellsBitmapsTest
{
    @Test
    void bitmapsMatchEveryOrdinalAddedThroughRunsFullSlabsAndAnExhaustedPool()
    {
        final Cells cells = new Cells();
        // more bitmaps than the pool has slabs, so some find none and are added to directly
        final int cellCount = SortedRuns.MAX_SLABS + 300;
        final RoaringBitmap[] expected0 = new RoaringBitmap[cellCount];
        final RoaringBitmap[] expected1 = new RoaringBitmap[cellCount];
        final int[] ids = new int[cellCount];
        for (int i = 0; i < cellCount; i++)
        {
            ids[i] = cells.cell(CellKind.TOTAL, i % CellKind.HOURS, i, 0, 0);
            expected0[i] = new RoaringBitmap();
            expected1[i] = new RoaringBitmap();
        }
        final SplittableRandom random = new SplittableRandom(11);
        final SortedRuns runs = new SortedRuns();
        for (int batch = 0; batch < 6; batch++)
        {
            // every other batch holds nothing back: each ordinal is added at once
            if (batch % 2 == 0)
            {
                cells.beginBatch(runs);
            }
            for (int n = 0; n < 200_000; n++)
            {
                // a few busy cells fill whole slabs; ordinals span several containers and repeat
                final int i = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(cellCount);
                final int ordinal = random.nextInt(4) == 0 ? random.nextInt(50) : random.nextInt(300_000);
                if (random.nextBoolean())
                {
                    cells.addBitmap0(ids[i], ordinal);
                    expected0[i].add(ordinal);
                }
                else
                {
                    cells.addBitmap1(ids[i], ordinal);
                    expected1[i].add(ordinal);
                }
            }
            cells.flush();
            for (int i = 0; i < cellCount; i++)
            {
                assertEquals(expected0[i], orEmpty(cells.bitmap0(ids[i])), "cell " + i + "'s first bitmap, batch " + batch);
                assertEquals(expected1[i], orEmpty(cells.bitmap1(ids[i])), "cell " + i + "'s second bitmap, batch " + batch);
            }
        }
    }

    @Test
    void aBitmapIsNotReadWhileOrdinalsAreHeldForIt()
    {
        final Cells cells = new Cells();
        final int cell = cells.cell(CellKind.TOTAL, 0, 0, 0, 0);
        cells.beginBatch(new SortedRuns());
        cells.addBitmap0(cell, 10);
        cells.addBitmap0(cell, 5);
        assertThrows(IllegalStateException.class, () -> cells.bitmap0(cell));
        cells.flush();
        assertEquals(RoaringBitmap.bitmapOf(5, 10), cells.bitmap0(cell));
    }

    @Test
    void anOrdinalAddedAfterAUnionKeepsBothSorted()
    {
        final Cells cells = new Cells();
        final int cell = cells.cell(CellKind.TOTAL, 0, 0, 0, 0);
        cells.orBitmap0(cell, RoaringBitmap.bitmapOf(3, 70_000));
        cells.beginBatch(new SortedRuns());
        cells.addBitmap0(cell, 4);
        cells.addBitmap0(cell, 70_000);
        cells.addBitmap0(cell, 80_000);
        cells.flush();
        assertEquals(RoaringBitmap.bitmapOf(3, 4, 70_000, 80_000), cells.bitmap0(cell));
    }

    private static RoaringBitmap orEmpty(final RoaringBitmap bitmap)
    {
        return bitmap == null ? new RoaringBitmap() : bitmap;
    }
}
