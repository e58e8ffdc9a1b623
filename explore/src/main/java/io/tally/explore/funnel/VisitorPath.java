package io.tally.explore.funnel;

import java.util.Arrays;

/**
 * One visitor's way through a funnel: fed the visitor's events that match any step, in order (by session first in
 * session windows, then by time and journal index), it finds the deepest chain of events {@code e1 < e2 < ... < ek}
 * where {@code ei} matches step {@code i} and all lie in {@code e1}'s session, or within the window's duration of
 * {@code e1}. Of the deepest chains it takes the one with the earliest {@code e1} (by time, then journal index), then
 * the earliest next events: the path the figures (time between steps, revenue) are read from.
 * <p>
 * From each start the earliest match of the next step is never worse than a later one (the window runs from the
 * start, and a later event leaves less room), so a greedy walk per start is exact; a table of each step's next
 * match makes each walk {@code O(steps)}. At most {@code maxEvents} events a visitor are kept (the rest are counted
 * by the caller as skipped): the table takes {@code steps * maxEvents} ints at most.
 */
final class VisitorPath
{
    static final int NONE = -1;

    private final int steps;
    private final long windowMillis;
    private final int maxEvents;
    private int size;
    private long[] sessions = new long[16];
    private long[] times = new long[16];
    private long[] journal = new long[16];
    private int[] masks = new int[16];
    private int[] next = new int[0];
    private final int[] path;
    private final int[] walk;
    private int depth;

    /** @param windowMillis the window from the first step; 0 for the first step's session. */
    VisitorPath(final int steps, final long windowMillis, final int maxEvents)
    {
        this.steps = steps;
        this.windowMillis = windowMillis;
        this.maxEvents = maxEvents;
        this.path = new int[steps];
        this.walk = new int[steps];
    }

    void clear()
    {
        size = 0;
        depth = 0;
    }

    /** Adds the visitor's next event; false (and not kept) past {@code maxEvents}. */
    boolean add(final long session, final long time, final long journalIndex, final int mask)
    {
        if (size == maxEvents)
        {
            return false;
        }
        if (size == times.length)
        {
            final int capacity = Math.min(maxEvents, size * 2);
            sessions = Arrays.copyOf(sessions, capacity);
            times = Arrays.copyOf(times, capacity);
            journal = Arrays.copyOf(journal, capacity);
            masks = Arrays.copyOf(masks, capacity);
        }
        sessions[size] = session;
        times[size] = time;
        journal[size] = journalIndex;
        masks[size] = mask;
        size++;
        return true;
    }

    /** Finds the path of the events added; then {@link #depth()} and {@link #event(int)} read it. */
    void solve()
    {
        depth = 0;
        if (size == 0)
        {
            return;
        }
        fillNext();
        for (int start = 0; start < size; start++)
        {
            if ((masks[start] & 1) == 0)
            {
                continue;
            }
            final int reached = walk(start);
            if (reached > depth || reached == depth && earlier(start, path[0]))
            {
                depth = reached;
                System.arraycopy(walk, 0, path, 0, reached);
            }
        }
    }

    /** Steps the visitor reached: 0 to {@code steps}. */
    int depth()
    {
        return depth;
    }

    /** The position (order of adding) of the path's event for {@code step} (0-based, below {@link #depth()}). */
    int event(final int step)
    {
        return path[step];
    }

    long time(final int position)
    {
        return times[position];
    }

    private int walk(final int start)
    {
        walk[0] = start;
        int position = start;
        int reached = 1;
        while (reached < steps && position + 1 < size)
        {
            final int candidate = next[reached * size + position + 1];
            if (candidate == NONE || !inWindow(start, candidate))
            {
                break;
            }
            walk[reached++] = candidate;
            position = candidate;
        }
        return reached;
    }

    private boolean inWindow(final int start, final int candidate)
    {
        return windowMillis == 0 ? sessions[candidate] == sessions[start] : times[candidate] - times[start] <= windowMillis;
    }

    /** Whether the event at {@code a} comes before the one at {@code b} in time (then journal order). */
    private boolean earlier(final int a, final int b)
    {
        return times[a] < times[b] || times[a] == times[b] && journal[a] < journal[b];
    }

    /** {@code next[step * size + i]}: the first position at or after {@code i} whose event matches {@code step}. */
    private void fillNext()
    {
        if (next.length < steps * size)
        {
            next = new int[Math.max(steps * size, Math.min(next.length * 2, steps * maxEvents))];
        }
        for (int step = 1; step < steps; step++)
        {
            int found = NONE;
            final int bit = 1 << step;
            for (int i = size - 1; i >= 0; i--)
            {
                if ((masks[i] & bit) != 0)
                {
                    found = i;
                }
                next[step * size + i] = found;
            }
        }
    }
}
