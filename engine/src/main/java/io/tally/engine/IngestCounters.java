package io.tally.engine;

import io.tally.codec.Outcome;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts every answer by {@link Outcome}, and the properties dropped past the 30th. Shared by all threads. */
public final class IngestCounters
{
    private final LongAdder[] byOutcome = new LongAdder[Outcome.count()];
    private final LongAdder droppedProperties = new LongAdder();
    private final LongAdder rejectedConnections = new LongAdder();

    public IngestCounters()
    {
        for (int i = 0; i < byOutcome.length; i++)
        {
            byOutcome[i] = new LongAdder();
        }
    }

    public void record(final Outcome outcome)
    {
        byOutcome[outcome.ordinal()].increment();
    }

    public void droppedProperties(final int count)
    {
        droppedProperties.add(count);
    }

    public void rejectedConnection()
    {
        rejectedConnections.increment();
    }

    public long count(final Outcome outcome)
    {
        return byOutcome[outcome.ordinal()].sum();
    }

    public long droppedProperties()
    {
        return droppedProperties.sum();
    }

    public long rejectedConnections()
    {
        return rejectedConnections.sum();
    }

    /** Non-zero counts by error code, for status answers. */
    public Map<String, Long> nonZeroByCode()
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < byOutcome.length; i++)
        {
            final long count = byOutcome[i].sum();
            if (count > 0)
            {
                counts.put(Outcome.get(i).code(), count);
            }
        }
        return counts;
    }
}
