package io.tally.store.rollup.day;

import org.HdrHistogram.Histogram;
import org.roaringbitmap.ImmutableBitmapDataProvider;

import java.math.BigDecimal;
import java.util.function.IntConsumer;

/**
 * One day's cells ({@link CellKind}) however they are kept: an open {@link DayCube} on the heap, or a sealed
 * segment (or a delta of one) read in place. Queries read both the same way.
 */
public interface DayFigures
{
    long day();

    /** Whether the figures hold whole-day cells (hour {@link CellKind#DAY}) beside the hours': sealed ones do. */
    boolean hasWholeDayCells();

    /** Visits every cell of {@code kind} whose hour is in {@code [fromHour, toHour)}. */
    void cells(CellKind kind, int fromHour, int toHour, IntConsumer visitor);

    int key1(int cell);

    int key2(int cell);

    int key3(int cell);

    long count0(int cell);

    long count1(int cell);

    long count2(int cell);

    /** The cell's exact sum, or null. */
    BigDecimal money(int cell);

    /** The cell's first bitmap (visitors, converting visitors), or null. */
    ImmutableBitmapDataProvider bitmap0(int cell);

    /** The cell's second bitmap (sessions), or null. */
    ImmutableBitmapDataProvider bitmap1(int cell);

    long cardinality0(int cell);

    long cardinality1(int cell);

    Histogram histogram(int cell);

    /** The text of a dictionary id. */
    String string(int id);

    /** The rows of the sessions these figures changed (none in a segment of an older layout). */
    default SessionRows sessionRows()
    {
        return SessionRows.NONE;
    }
}
