package io.tally.explore;

import io.tally.store.Journal;
import io.tally.store.JournalReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Remakes the event store from the whole journal: the files are sealed into a fresh directory beside the old one,
 * which replaces it only when every record is in; a rebuild cut short leaves the old files as they were. Run it with
 * the engine stopped (a running engine keeps sealing into its own).
 */
public final class EventRebuild
{
    private static final int BATCH = 65_536;

    private EventRebuild()
    {
    }

    /** @return the records read from the journal. */
    public static long rebuild(final Path dataDir, final Journal journal, final int retentionDays, final long nowMillis)
    {
        final Path events = dataDir.resolve(EventFiles.DIRECTORY);
        // sealed as the store of a scratch data dir beside the real one: its events directory then replaces the old
        final Path fresh = dataDir.resolve(EventFiles.DIRECTORY + ".rebuild");
        try
        {
            EventFiles.deleteTree(fresh);
            long records = 0;
            if (journal != null)
            {
                try (EventSealer sealer = EventSealer.open(new EventFiles(fresh), retentionDays);
                    JournalReader reader = journal.newReader().withBackfills())
                {
                    for (int read = sealer.apply(reader, BATCH); read > 0 || sealer.roundFull(); read = sealer.apply(reader, BATCH))
                    {
                        records += read;
                        if (sealer.roundFull())
                        {
                            sealer.seal();
                        }
                    }
                    sealer.seal();
                    sealer.maintain(nowMillis);
                }
            }
            final Path old = dataDir.resolve(EventFiles.DIRECTORY + ".old");
            EventFiles.deleteTree(old);
            if (Files.exists(events))
            {
                Files.move(events, old);
            }
            final Path sealed = fresh.resolve(EventFiles.DIRECTORY);
            Files.createDirectories(sealed);
            Files.move(sealed, events);
            EventFiles.deleteTree(fresh);
            EventFiles.deleteTree(old);
            return records;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("events rebuild: " + ex.getMessage(), ex);
        }
    }
}
