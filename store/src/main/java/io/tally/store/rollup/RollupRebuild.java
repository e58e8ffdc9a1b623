package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;

import java.util.function.LongSupplier;

/**
 * Counts the rollups again from the whole journal, into fresh segments and a fresh checkpoint, sealing each past
 * day as the journal moves on from it (so the heap stays bounded however long the history). The engine must be
 * stopped: it owns the rollup files while it runs.
 */
public final class RollupRebuild
{
    private static final int BATCH = 65_536;

    private RollupRebuild()
    {
    }

    /** @return the journal records read. */
    public static long rebuild(final StateFiles files, final Journal journal, final LongSupplier wallClock)
    {
        final RollupCheckpoint checkpoints = new RollupCheckpoint(files);
        checkpoints.segments().deleteAllBut(java.util.Set.of());
        final RollupDriver driver = new RollupDriver(new Rollups(), checkpoints, wallClock, 0);
        long records = 0;
        if (journal != null)
        {
            try (JournalReader reader = journal.newReader().withBackfills())
            {
                for (int read = driver.apply(reader, BATCH); read > 0; read = driver.apply(reader, BATCH))
                {
                    records += read;
                    driver.maintain();
                }
            }
        }
        driver.maintain();
        driver.checkpoint();
        return records;
    }
}
