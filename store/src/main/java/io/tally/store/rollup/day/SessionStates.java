package io.tally.store.rollup.day;

import java.util.Arrays;

/**
 * The sessions of an open day, a row each ({@link SessionRows}): updated in place by each event, nothing allocated
 * but the table's growth. A row's state is four longs side by side (first time, last time, exit page and pageviews,
 * events and visitor), so an event of a session seen a while ago costs one cache miss, not one per field. A day's
 * sessions are bounded by the day (its ordinals), and the rows go with the day into its segment, which is how a
 * checkpoint and a delta find them again.
 */
public final class SessionStates implements SessionRows
{
    private static final int STRIDE = 4;
    private static final long LOW = 0xFFFF_FFFFL;

    private int rows;
    private int[] ordinals = new int[256];
    private long[] state = new long[256 * STRIDE];
    /** Sources by row, {@link #SOURCES} each: only for rows given theirs ({@link #sources(int, int[])}). */
    private int[] sources = new int[0];

    /** A new row for the session, no event counted yet; returns the row. */
    public int add(final int ordinal, final int visitor)
    {
        if (rows == ordinals.length)
        {
            ordinals = Arrays.copyOf(ordinals, rows * 2);
            state = Arrays.copyOf(state, rows * 2 * STRIDE);
        }
        final int row = rows++;
        ordinals[row] = ordinal;
        set(row, visitor, 0, 0, 0, 0, 0);
        return row;
    }

    /** A row as it was: restoring a snapshot, or a sealed day's session a late event continues. */
    public int add(final int ordinal, final int visitor, final long firstTime, final long lastTime, final int exitPage,
        final int pageviewCount, final int eventCount)
    {
        final int row = add(ordinal, visitor);
        set(row, visitor, firstTime, lastTime, exitPage, pageviewCount, eventCount);
        return row;
    }

    /** Gives a row its sources and entry page (text ids, {@link #SOURCES} of them from {@code from[0]}). */
    public void sources(final int row, final int[] from)
    {
        if (sources.length < (row + 1) * SOURCES)
        {
            sources = Arrays.copyOf(sources, Math.max((row + 1) * SOURCES, sources.length * 2));
        }
        System.arraycopy(from, 0, sources, row * SOURCES, SOURCES);
    }

    @Override
    public int source(final int row, final int d)
    {
        return sources[row * SOURCES + d];
    }

    /** Replaces a row's state. */
    public void set(final int row, final int visitor, final long firstTime, final long lastTime, final int exitPage,
        final int pageviewCount, final int eventCount)
    {
        final int at = row * STRIDE;
        state[at] = firstTime;
        state[at + 1] = lastTime;
        state[at + 2] = (long)exitPage << 32 | pageviewCount & LOW;
        state[at + 3] = (long)eventCount << 32 | visitor & LOW;
    }

    /**
     * Counts an event of the row's session at {@code time} on {@code page}: the earliest time starts the visit, the
     * latest (the later applied, at equal times) is its exit.
     */
    public void event(final int row, final long time, final int page, final boolean pageview)
    {
        final int at = row * STRIDE;
        final boolean none = state[at + 3] >>> 32 == 0;
        if (none || time < state[at])
        {
            state[at] = time;
        }
        long exitAndViews = state[at + 2];
        if (none || time >= state[at + 1])
        {
            state[at + 1] = time;
            exitAndViews = (long)page << 32 | exitAndViews & LOW;
        }
        state[at + 2] = pageview ? exitAndViews + 1 : exitAndViews;
        state[at + 3] += 1L << 32;
    }

    /** Whether a new event at {@code time} would be the session's exit (so its page is needed). */
    public boolean isLatest(final int row, final long time)
    {
        final int at = row * STRIDE;
        return state[at + 3] >>> 32 == 0 || time >= state[at + 1];
    }

    @Override
    public int rows()
    {
        return rows;
    }

    @Override
    public int ordinal(final int row)
    {
        return ordinals[row];
    }

    @Override
    public long first(final int row)
    {
        return state[row * STRIDE];
    }

    @Override
    public long last(final int row)
    {
        return state[row * STRIDE + 1];
    }

    @Override
    public int exitPage(final int row)
    {
        return (int)(state[row * STRIDE + 2] >>> 32);
    }

    @Override
    public int pageviews(final int row)
    {
        return (int)state[row * STRIDE + 2];
    }

    @Override
    public int events(final int row)
    {
        return (int)(state[row * STRIDE + 3] >>> 32);
    }

    @Override
    public int visitor(final int row)
    {
        return (int)state[row * STRIDE + 3];
    }
}
