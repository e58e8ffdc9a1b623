package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rollups counted from another source than the journal (a cluster's worker: records applied one by one, no journal
 * index) keep that source's position in their checkpoint, in the same file as the figures; a checkpoint without
 * one (the journal's, or an older one) loads as before, with an empty position.
 */
class RollupSourcePositionTest
{
    @TempDir
    Path dir;

    @Test
    void theSourcesPositionIsLoadedWithTheFiguresItWasWrittenWith() throws IOException
    {
        final List<RollupsTest.Event> events = RollupsTest.randomEvents(new Random(20), 500);
        final long from = RollupsTest.T0 - 48 * RollupsTest.HOUR;
        final long to = RollupsTest.T0 + 96 * RollupsTest.HOUR;
        final byte[] position = "partition 3 at offset 500".getBytes(StandardCharsets.UTF_8);
        try (Journal journal = Journal.openForWriting(dir.resolve("source")))
        {
            RollupsTest.write(journal, events);
            final StateFiles files = new StateFiles(dir.resolve("worker"));
            final RollupCheckpoint checkpoints = new RollupCheckpoint(files);
            final Rollups counted = checkpoints.load(null);
            try (JournalReader reader = journal.newReader())
            {
                while (reader.read((index, record) -> counted.apply(-1, record), 100) > 0)
                {
                    // as a worker counts what it consumes: one record at a time, no index of its own journal
                }
            }
            checkpoints.write(counted, List.of(), position);

            final RollupCheckpoint reloaded = new RollupCheckpoint(files);
            final Rollups resumed = reloaded.load(null);
            assertEquals(List.of(), files.setAside(), "nothing set aside");
            assertArrayEquals(position, reloaded.loadedSourcePosition());
            assertEquals(-1, resumed.lastIndex());
            for (final String site : RollupsTest.SITES)
            {
                RollupsTest.assertSameFigures(site, from, to, events, resumed.totals(site, from, to));
            }

            reloaded.write(resumed, List.of());
            final RollupCheckpoint withoutPosition = new RollupCheckpoint(files);
            final Rollups again = withoutPosition.load(null);
            assertEquals(0, withoutPosition.loadedSourcePosition().length, "a checkpoint written without a position has none");
            RollupsTest.assertSameFigures(RollupsTest.SITES[0], from, to, events, again.totals(RollupsTest.SITES[0], from, to));
        }
    }
}
