package io.tally.store;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalRetentionTest
{
    /** Records a new reader reads from the start (these test records are not events: they count as unreadable). */
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

    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void wholeDaysBeforeTheCutAreDeletedAndTheRestStaysReadable()
    {
        final long today = 20_400;
        final SetTimeProvider time = new SetTimeProvider((today - 40) * DAY);
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            final ByteBuffer record = ByteBuffer.allocateDirect(100);
            final List<Long> indexes = new ArrayList<>();
            try (JournalAppender appender = journal.newAppender())
            {
                for (final long day : new long[] {today - 40, today - 31, today - 30, today})
                {
                    time.currentTimeMillis(day * DAY + 1000);
                    indexes.add(appender.append(record, 100));
                }
            }
            assertEquals((int)(today - 30), journal.cycleOf(indexes.get(2)));
            final long before = journal.diskBytes();
            final long deleted = journal.deleteCyclesBefore((int)(today - 30));
            assertTrue(deleted > 0 && journal.diskBytes() == before - deleted, before + " - " + deleted);
            assertEquals(2, recordsLeft(journal), "the days from the cut on, whole; the days before it, gone");
            try (JournalReader reader = journal.newReader())
            {
                assertTrue(reader.moveTo(indexes.get(2)), "the first record left is the cut day's");
                assertTrue(!reader.moveTo(indexes.get(1)), "the day before the cut is gone");
            }
            journal.deleteCyclesBefore((int)(today + 5));
            assertEquals(1, recordsLeft(journal), "the day being written is never deleted, even before the cut");
        }
    }
}
