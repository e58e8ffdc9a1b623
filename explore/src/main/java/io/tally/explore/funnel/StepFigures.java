package io.tally.explore.funnel;

import org.agrona.collections.LongArrayList;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a funnel's steps for one group of visitors (all of them, or one breakdown value): visitors who
 * reached each step, the times from the previous step on their paths (for the median), and the revenue of the
 * paths' events per currency.
 */
final class StepFigures
{
    private final long[] visitors;
    private final LongArrayList[] gaps;
    private final Map<String, BigDecimal>[] revenue;

    @SuppressWarnings("unchecked")
    StepFigures(final int steps)
    {
        this.visitors = new long[steps];
        this.gaps = new LongArrayList[steps];
        this.revenue = new Map[steps];
        for (int i = 0; i < steps; i++)
        {
            gaps[i] = new LongArrayList();
            revenue[i] = new TreeMap<>();
        }
    }

    /** Counts a visitor who reached step {@code step} (0-based), {@code gapMillis} after the previous step. */
    void reached(final int step, final long gapMillis)
    {
        visitors[step]++;
        if (step > 0)
        {
            gaps[step].addLong(gapMillis);
        }
    }

    void revenue(final int step, final String currency, final BigDecimal amount)
    {
        revenue[step].merge(currency, amount, BigDecimal::add);
    }

    int steps()
    {
        return visitors.length;
    }

    long visitors(final int step)
    {
        return visitors[step];
    }

    Map<String, BigDecimal> revenue(final int step)
    {
        return revenue[step];
    }

    /**
     * The median time from the previous step to {@code step}, in seconds (the mean of the two middle values for an
     * even count: exact, at most 4 decimals); null for the first step or when nobody reached it.
     */
    BigDecimal medianSecondsFromPrevious(final int step)
    {
        final LongArrayList list = gaps[step];
        if (step == 0 || list.isEmpty())
        {
            return null;
        }
        final long[] sorted = list.toLongArray();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        final long twice = sorted.length % 2 == 1 ? 2 * sorted[middle] : sorted[middle - 1] + sorted[middle];
        return BigDecimal.valueOf(twice).divide(BigDecimal.valueOf(2000)).setScale(4);
    }
}
