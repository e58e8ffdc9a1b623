package io.tally.engine.metrics;

import io.tally.codec.DropReason;
import io.tally.codec.DroppedFields;
import io.tally.codec.Outcome;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every answer by {@link Outcome} (and by endpoint), the properties dropped past the 30th, refused
 * connections, and journal appends with their bytes. Shared by all threads; every counter exists from the start,
 * so counting allocates nothing.
 */
public final class IngestCounters
{
    private final LongAdder[] byOutcome = new LongAdder[Outcome.count()];
    private final LongAdder[] byEndpointAndOutcome = new LongAdder[Endpoint.count() * Outcome.count()];
    private final LongAdder journalAppends = new LongAdder();
    private final LongAdder journalBytes = new LongAdder();
    private final LongAdder droppedProperties = new LongAdder();
    private final LongAdder rejectedConnections = new LongAdder();
    private final LongAdder[] droppedFields = new LongAdder[DropReason.COUNT];

    public IngestCounters()
    {
        for (int i = 0; i < droppedFields.length; i++)
        {
            droppedFields[i] = new LongAdder();
        }
        for (int i = 0; i < byOutcome.length; i++)
        {
            byOutcome[i] = new LongAdder();
        }
        for (int i = 0; i < byEndpointAndOutcome.length; i++)
        {
            byEndpointAndOutcome[i] = new LongAdder();
        }
    }

    /** One answer (one event of a batch, or one request refused whole) of {@code endpoint}. */
    public void record(final Endpoint endpoint, final Outcome outcome)
    {
        byOutcome[outcome.ordinal()].increment();
        byEndpointAndOutcome[endpoint.ordinal() * Outcome.count() + outcome.ordinal()].increment();
    }

    /** One record appended to the journal. */
    public void appended(final int bytes)
    {
        journalAppends.increment();
        journalBytes.add(bytes);
    }

    public void droppedProperties(final int count)
    {
        droppedProperties.add(count);
    }

    /** What one accepted body did not keep, by reason (properties past the 30th among them). */
    public void dropped(final DroppedFields dropped)
    {
        if (dropped.total() == 0)
        {
            return;
        }
        for (int i = 0; i < droppedFields.length; i++)
        {
            final int count = dropped.count(DropReason.get(i));
            if (count > 0)
            {
                droppedFields[i].add(count);
            }
        }
    }

    public long dropped(final DropReason reason)
    {
        return droppedFields[reason.ordinal()].sum();
    }

    /** Non-zero drop counts by reason, for status answers. */
    public Map<String, Long> nonZeroDropped()
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < droppedFields.length; i++)
        {
            final long count = droppedFields[i].sum();
            if (count > 0)
            {
                counts.put(DropReason.get(i).wireName(), count);
            }
        }
        return counts;
    }

    public void rejectedConnection()
    {
        rejectedConnections.increment();
    }

    public long count(final Outcome outcome)
    {
        return byOutcome[outcome.ordinal()].sum();
    }

    public long count(final Endpoint endpoint, final Outcome outcome)
    {
        return byEndpointAndOutcome[endpoint.ordinal() * Outcome.count() + outcome.ordinal()].sum();
    }

    public long journalAppends()
    {
        return journalAppends.sum();
    }

    public long journalBytes()
    {
        return journalBytes.sum();
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
