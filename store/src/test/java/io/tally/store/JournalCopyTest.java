package io.tally.store;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal copied up to an index holds every record up to it at the same index with the same bytes, across days
 * (and a day without records in between) and after a day whose files retention deleted, and nothing after it.
 */
class JournalCopyTest
{
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void recordsKeepTheirIndicesAndBytesAcrossDaysUpToTheLastIndexGiven()
    {
        final long today = 20_430;
        final SetTimeProvider time = new SetTimeProvider((today - 9) * DAY);
        final List<Long> indexes = new ArrayList<>();
        final Path source = dir.resolve("source");
        final Path target = dir.resolve("target");
        try (Journal journal = Journal.openForWriting(source, time))
        {
            try (JournalAppender appender = journal.newAppender())
            {
                for (final long day : new long[] {today - 9, today - 3, today - 3, today - 1, today, today, today})
                {
                    time.currentTimeMillis(day * DAY + indexes.size() * 1000L);
                    final ByteBuffer record = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
                    record.putLong(0, indexes.size() * 31L + 7);
                    indexes.add(appender.append(record, 64));
                }
            }
            journal.deleteCyclesBefore((int)(today - 3)); // retention took the first day
            final long last = indexes.get(5);
            assertEquals(5, journal.copyTo(target, last), "the records from the first kept day to the one given");
            try (Journal copy = Journal.openForReading(target))
            {
                final List<Long> copied = new ArrayList<>();
                final List<Long> firstLongs = new ArrayList<>();
                try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(target.resolve(Journal.DIRECTORY).toFile())
                         .readOnly(true).build();
                     ExcerptTailer tailer = queue.createTailer())
                {
                    while (true)
                    {
                        try (DocumentContext record = tailer.readingDocument())
                        {
                            if (!record.isPresent())
                            {
                                break;
                            }
                            copied.add(record.index());
                            firstLongs.add(record.wire().bytes().readLong());
                        }
                    }
                }
                assertEquals(indexes.subList(1, 6), copied, "the same indices, from the first kept day to the last given");
                assertEquals(List.of(38L, 69L, 100L, 131L, 162L), firstLongs, "the same bytes");
                assertEquals(last, copy.lastIndex());
            }
            assertThrows(IllegalStateException.class, () -> journal.copyTo(target, last), "only into a new directory");
        }
        assertTrue(Files.isDirectory(target.resolve(Journal.DIRECTORY)));
    }

    @Test
    void anEmptyJournalCopiesNothing()
    {
        try (Journal journal = Journal.openForWriting(dir.resolve("source")))
        {
            assertEquals(0, journal.copyTo(dir.resolve("target"), journal.lastIndex()));
            assertFalse(Files.exists(dir.resolve("target").resolve(Journal.DIRECTORY)));
        }
    }
}
