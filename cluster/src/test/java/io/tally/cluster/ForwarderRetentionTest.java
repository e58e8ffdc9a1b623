package io.tally.cluster;

import io.tally.engine.JournalRetention;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --journal-retention-days} on an ingest node of a cluster: a day the rollups have counted but the forwarder
 * has not forwarded (the brokers were away) exists nowhere else, so the retention keeps it; once forwarded, it goes.
 * A real journal with files of past days, the real forwarder's checkpoint and the engine's retention.
 */
class ForwarderRetentionTest
{
    private static final long DAY = 86_400_000L;
    private static final long TODAY = 20_400;

    @TempDir
    Path dir;

    @Test
    void daysTheForwarderHasNotForwardedAreKeptPastTheRetention()
    {
        final SetTimeProvider time = new SetTimeProvider((TODAY - 10) * DAY);
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            final long[] indexes = new long[3];
            try (JournalAppender appender = journal.newAppender())
            {
                final long[] days = {TODAY - 10, TODAY - 9, TODAY};
                for (int i = 0; i < 3; i++)
                {
                    time.currentTimeMillis(days[i] * DAY + 1000);
                    indexes[i] = appender.append(ByteBuffer.allocateDirect(100), 100);
                }
            }
            final StateFiles files = new StateFiles(dir);
            final ForwarderSettings settings = new ForwarderSettings("127.0.0.1:9", ForwarderSettings.DEFAULT_TOPIC,
                "node-a", ForwarderSettings.DEFAULT_BROKER_WAIT, ForwarderSettings.DEFAULT_MAX_BACKOFF);
            final long countedAll = indexes[2]; // the rollups counted and checkpointed every record

            final JournalRetention waiting = retention(journal, countedAll);
            waiting.hold(new JournalForwarder(journal, files, settings)::lastForwardedIndex);
            assertEquals(0, waiting.trim(), "nothing forwarded yet: every day is kept, a retention of one day or not");
            assertEquals(3, recordsLeft(journal));

            new ForwarderCheckpoint(files).write(indexes[1]); // as the forwarder does once a batch is committed in Kafka
            final JournalRetention forwarded = retention(journal, countedAll);
            forwarded.hold(new JournalForwarder(journal, files, settings)::lastForwardedIndex);
            assertTrue(forwarded.trim() > 0, "the day before the last one forwarded is deleted");
            assertEquals(2, recordsLeft(journal), "the day of the last record forwarded stays: its rest may not be");

            assertTrue(retention(journal, countedAll).trim() > 0, "without the forwarder's hold that day would go too");
            assertEquals(1, recordsLeft(journal), "(today's file is never deleted)");
        }
    }

    @Test
    void withoutARetentionNothingIsDeleted()
    {
        final SetTimeProvider time = new SetTimeProvider((TODAY - 40) * DAY);
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            long last;
            try (JournalAppender appender = journal.newAppender())
            {
                appender.append(ByteBuffer.allocateDirect(100), 100);
                time.currentTimeMillis(TODAY * DAY);
                last = appender.append(ByteBuffer.allocateDirect(100), 100);
            }
            final long counted = last;
            assertEquals(0, new JournalRetention(journal, 0, () -> TODAY * DAY, () -> counted).trim());
            assertEquals(2, recordsLeft(journal));
        }
    }

    /** A retention of one day (today only), the clock at noon today, the rollups having counted up to {@code counted}. */
    private static JournalRetention retention(final Journal journal, final long counted)
    {
        return new JournalRetention(journal, 1, () -> TODAY * DAY + DAY / 2, () -> counted);
    }

    private static int recordsLeft(final Journal journal)
    {
        try (JournalReader reader = journal.newReader())
        {
            int read = 0;
            for (int n = reader.read((index, r) -> { }, 10); n > 0; n = reader.read((index, r) -> { }, 10))
            {
                read += n;
            }
            return read;
        }
    }
}
