package io.tally.store.rollup.day;

import java.util.Arrays;

/**
 * The sessions of an open day, a row each in growing primitive columns ({@link SessionRows}): updated in place by
 * each event, nothing allocated but a column's growth. A day's sessions are bounded by the day (its ordinals), and
 * the rows go with the day into its segment, which is how a checkpoint and a delta find them again.
 */
public final class SessionStates implements SessionRows
{
    private int rows;
    private int[] ordinals = new int[256];
    private long[] first = new long[256];
    private long[] last = new long[256];
    private int[] exitPages = new int[256];
    private int[] pageviews = new int[256];
    private int[] events = new int[256];
    private int[] visitors = new int[256];

    /** A new row for the session, no event counted yet; returns the row. */
    public int add(final int ordinal, final int visitor)
    {
        if (rows == ordinals.length)
        {
            final int size = rows * 2;
            ordinals = Arrays.copyOf(ordinals, size);
            first = Arrays.copyOf(first, size);
            last = Arrays.copyOf(last, size);
            exitPages = Arrays.copyOf(exitPages, size);
            pageviews = Arrays.copyOf(pageviews, size);
            events = Arrays.copyOf(events, size);
            visitors = Arrays.copyOf(visitors, size);
        }
        final int row = rows++;
        ordinals[row] = ordinal;
        visitors[row] = visitor;
        first[row] = 0;
        last[row] = 0;
        exitPages[row] = 0;
        pageviews[row] = 0;
        events[row] = 0;
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

    /** Replaces a row's state. */
    public void set(final int row, final int visitor, final long firstTime, final long lastTime, final int exitPage,
        final int pageviewCount, final int eventCount)
    {
        visitors[row] = visitor;
        first[row] = firstTime;
        last[row] = lastTime;
        exitPages[row] = exitPage;
        pageviews[row] = pageviewCount;
        events[row] = eventCount;
    }

    /**
     * Counts an event of the row's session at {@code time} on {@code page}: the earliest time starts the visit, the
     * latest (the later applied, at equal times) is its exit.
     */
    public void event(final int row, final long time, final int page, final boolean pageview)
    {
        if (events[row] == 0 || time < first[row])
        {
            first[row] = time;
        }
        if (events[row] == 0 || time >= last[row])
        {
            last[row] = time;
            exitPages[row] = page;
        }
        events[row]++;
        if (pageview)
        {
            pageviews[row]++;
        }
    }

    /** Whether a new event at {@code time} would be the session's exit (so its page is needed). */
    public boolean isLatest(final int row, final long time)
    {
        return events[row] == 0 || time >= last[row];
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
        return first[row];
    }

    @Override
    public long last(final int row)
    {
        return last[row];
    }

    @Override
    public int exitPage(final int row)
    {
        return exitPages[row];
    }

    @Override
    public int pageviews(final int row)
    {
        return pageviews[row];
    }

    @Override
    public int events(final int row)
    {
        return events[row];
    }

    @Override
    public int visitor(final int row)
    {
        return visitors[row];
    }
}
