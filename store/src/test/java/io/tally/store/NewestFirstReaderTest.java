package io.tally.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NewestFirstReaderTest
{
    private static final long DAY = 86_400_000L;
    private static final long TODAY = 20_400;

    @TempDir
    Path dir;

    @Test
    void everyRecordComesOutNewestFirstAcrossBlocksAndDayFilesWithGaps()
    {
        // records per day file: a day with one record, days missing between files, a day longer than the largest
        // block, and block edges met exactly (the first block's size, twice the largest)
        final long[][] days = {
            {TODAY - 9, 1}, {TODAY - 6, NewestFirstReader.FIRST_BLOCK}, {TODAY - 5, NewestFirstReader.MAX_BLOCK * 2},
            {TODAY - 2, NewestFirstReader.MAX_BLOCK + 3}, {TODAY, NewestFirstReader.FIRST_BLOCK + 1}};
        final SetTimeProvider time = new SetTimeProvider(days[0][0] * DAY);
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            final List<Long> written = write(journal, time, days);
            for (final int limit : new int[] {1, 7, 1000, 100_000})
            {
                assertEquals(reversed(written), readAll(journal, limit), "read " + limit + " at a time");
            }
        }
    }

    @Test
    void recordsThatAreNotEventsAreCountedAndSkipped()
    {
        final SetTimeProvider time = new SetTimeProvider(TODAY * DAY);
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            final List<Long> written = new ArrayList<>(write(journal, time, new long[][] {{TODAY, 3}}));
            try (JournalAppender appender = journal.newAppender())
            {
                appender.append(ByteBuffer.allocateDirect(40), 40); // a record of an unknown layout version
            }
            written.addAll(write(journal, time, new long[][] {{TODAY, 2}}));
            try (NewestFirstReader reader = journal.newNewestFirstReader())
            {
                final List<Long> sessions = new ArrayList<>();
                assertEquals(6, reader.read((index, record) -> sessions.add(record.sessionId()), 10), "every record is read");
                assertEquals(reversed(written), sessions);
                assertEquals(1, reader.unreadableCount());
            }
        }
    }

    @Test
    void recordsAppendedWhileReadingAreNotHandedOut()
    {
        final SetTimeProvider time = new SetTimeProvider((TODAY - 1) * DAY);
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            final List<Long> written = write(journal, time, new long[][] {{TODAY - 1, 300}, {TODAY, 300}});
            final List<Long> read = new ArrayList<>();
            try (NewestFirstReader reader = journal.newNewestFirstReader())
            {
                assertEquals(10, reader.read((index, record) -> read.add(record.sessionId()), 10));
                write(journal, time, new long[][] {{TODAY, 1000}});
                while (reader.read((index, record) -> read.add(record.sessionId()), 100) > 0)
                {
                    // read on to the oldest
                }
            }
            assertEquals(reversed(written), read, "what was there when the reader was made, newest first");
        }
    }

    @Test
    void aDayFileDeletedWhileReadingEndsTheReadingCleanly()
    {
        final SetTimeProvider time = new SetTimeProvider((TODAY - 3) * DAY);
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            final List<Long> written = write(journal, time, new long[][] {{TODAY - 3, 5000}, {TODAY - 1, 5000}, {TODAY, 10}});
            final List<Long> read = new ArrayList<>();
            try (NewestFirstReader reader = journal.newNewestFirstReader())
            {
                assertEquals(1010, reader.read((index, record) -> read.add(record.sessionId()), 1010));
                assertTrue(journal.deleteCyclesBefore((int)TODAY) > 0);
                while (reader.read((index, record) -> read.add(record.sessionId()), 100) > 0)
                {
                    // read on until the deleted days stop it
                }
            }
            // the day being read when its file went stays readable (its mapping is held); the one before is gone
            assertEquals(reversed(written).subList(0, 5010), read);
        }
    }

    @Test
    void anEmptyJournalHasNothingToRead()
    {
        try (Journal journal = Journal.openForWriting(dir); NewestFirstReader reader = journal.newNewestFirstReader())
        {
            assertEquals(0, reader.read((index, record) -> { throw new AssertionError("no record"); }, 10));
        }
    }

    private static List<Long> readAll(final Journal journal, final int limit)
    {
        final List<Long> sessions = new ArrayList<>();
        final long[] lastIndex = {Long.MAX_VALUE};
        try (NewestFirstReader reader = journal.newNewestFirstReader())
        {
            while (reader.read((index, record) ->
            {
                if (index >= lastIndex[0])
                {
                    throw new AssertionError("index " + index + " after " + lastIndex[0]);
                }
                lastIndex[0] = index;
                sessions.add(record.sessionId());
            }, limit) > 0)
            {
                // read on
            }
        }
        return sessions;
    }

    private static List<Long> reversed(final List<Long> list)
    {
        final List<Long> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    /** Journals {@code days[i][1]} pageviews in the file of day {@code days[i][0]}, numbered by their session id. */
    private static List<Long> write(final Journal journal, final SetTimeProvider time, final long[][] days)
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(4096));
        final ByteBuf body = Unpooled.copiedBuffer("{\"t\":\"p\",\"u\":\"https://a.example/\"}", StandardCharsets.UTF_8);
        final List<Long> sessions = new ArrayList<>();
        try (JournalAppender appender = journal.newAppender())
        {
            for (final long[] day : days)
            {
                time.currentTimeMillis(day[0] * DAY + 1000);
                for (int i = 0; i < day[1]; i++)
                {
                    assertEquals(Outcome.ACCEPTED, decoder.decode(body.readerIndex(0), beacon));
                    final long session = 1_000_000L + sessions.size();
                    enrichment.reset().receivedAt(time.currentTimeMillis()).visitor(1).session(session)
                        .site("a.example".getBytes(StandardCharsets.UTF_8));
                    appender.append(encoder.memory(), encoder.encode(beacon, enrichment));
                    sessions.add(session);
                }
            }
        }
        finally
        {
            body.release();
        }
        return sessions;
    }
}
