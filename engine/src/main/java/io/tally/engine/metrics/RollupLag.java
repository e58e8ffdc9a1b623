package io.tally.engine.metrics;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.rollup.Rollups;

import java.util.function.LongSupplier;

/**
 * How far the rollups are behind the journal: the records they have not counted yet, and the age of the oldest of
 * those (0 when caught up). Read on cold paths only ({@code /metrics}, the operator report): it opens a reader.
 */
public record RollupLag(long events, double seconds)
{
    public static RollupLag of(final Journal journal, final Rollups rollups, final LongSupplier clock)
    {
        final long applied = rollups.lastIndex();
        final long behind = journal.countAfter(applied);
        return new RollupLag(behind, behind == 0 ? 0 : oldestUnappliedAge(journal, applied, clock));
    }

    /** Seconds since the first record after {@code applied} was received. */
    private static double oldestUnappliedAge(final Journal journal, final long applied, final LongSupplier clock)
    {
        final long[] receivedAt = {-1};
        // backfilled conversions are records the rollups apply too: the oldest unapplied may be one
        try (JournalReader reader = journal.newReader().withBackfills())
        {
            if (applied >= 0 && (!reader.moveTo(applied) || reader.read((index, record) -> { }, 1) != 1))
            {
                return 0;
            }
            reader.read((index, record) -> receivedAt[0] = record.receivedAt(), 1);
        }
        return receivedAt[0] < 0 ? 0 : Math.max(0, clock.getAsLong() - receivedAt[0]) / 1000.0;
    }
}
