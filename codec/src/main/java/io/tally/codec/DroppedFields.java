package io.tally.codec;

import java.util.Arrays;

/**
 * How many parts of an accepted event (or of the events of one body) were dropped, by {@link DropReason}:
 * reusable counts, so saying what was dropped allocates nothing. Not thread-safe.
 */
public final class DroppedFields
{
    private final int[] counts = new int[DropReason.COUNT];
    private int total;

    public void clear()
    {
        if (total != 0)
        {
            Arrays.fill(counts, 0);
            total = 0;
        }
    }

    public void add(final DropReason reason)
    {
        add(reason, 1);
    }

    public void add(final DropReason reason, final int count)
    {
        counts[reason.ordinal()] += count;
        total += count;
    }

    /** Adds every count of {@code other}. */
    public void addAll(final DroppedFields other)
    {
        if (other.total == 0)
        {
            return;
        }
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    public int count(final DropReason reason)
    {
        return counts[reason.ordinal()];
    }

    /** All drops together; 0 when nothing was dropped. */
    public int total()
    {
        return total;
    }

    /** The header's form, {@code props=2, referrer=1}: for tests and logs (the server writes bytes). */
    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < counts.length; i++)
        {
            if (counts[i] > 0)
            {
                out.append(out.length() == 0 ? "" : ", ").append(DropReason.get(i).wireName()).append('=').append(counts[i]);
            }
        }
        return out.toString();
    }
}
