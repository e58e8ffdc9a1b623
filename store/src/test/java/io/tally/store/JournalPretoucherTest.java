package io.tally.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalPretoucherTest
{
    private static final int RECORD = 1000;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long PAGE = JournalPretoucher.PAGE;

    private final ByteBuffer recordBuffer = ByteBuffer.allocateDirect(RECORD).order(ByteOrder.nativeOrder());
    /** The journal's clock: noon of a fixed day, so that no test meets a midnight it did not ask for. */
    private final SetTimeProvider time = new SetTimeProvider(java.time.Instant.parse("2026-03-02T12:00:00Z"));
    private final List<Throwable> errors = new ArrayList<>();

    @TempDir
    Path dir;

    @Test
    void stepsTouchThePagesAheadOfTheWritePositionOnceEachAtMostAStepAtATime()
    {
        try (Journal journal = Journal.openForWriting(dir, time); JournalAppender appender = journal.newAppender();
             JournalPretoucher pretoucher = new JournalPretoucher(journal.queue(), errors::add))
        {
            assertEquals(-1, pretoucher.touchAhead(0), "no day file yet: nothing to touch");
            appender.append(record(1), RECORD);
            final long first = writePosition(journal);
            final long firstEnd = (first + JournalPretoucher.MIN_AHEAD) & -PAGE;
            assertEquals((firstEnd - ((first & -PAGE) + PAGE)) / PAGE, pretoucher.touchAhead(SECOND),
                "from the page after the write position to the least lookahead past it (no rate yet)");
            assertEquals(0, pretoucher.touchAhead(2 * SECOND), "nothing new while the write position stays");
            for (int i = 0; i < 20; i++)
            {
                appender.append(record(i), RECORD);
            }
            final long second = writePosition(journal);
            assertTrue(second > first && second < firstEnd - PAGE, "20 records stay inside the touched pages");
            assertEquals((((second + JournalPretoucher.MIN_AHEAD) & -PAGE) - firstEnd) / PAGE,
                pretoucher.touchAhead(1_002 * SECOND), "only the pages not touched before (20 KB over 1,000 s: the least lookahead)");
            for (int i = 0; i < 2_000; i++)
            {
                appender.append(record(i), RECORD); // 2 MB in a second: a lookahead of many steps
            }
            assertEquals(JournalPretoucher.PAGES_PER_STEP, pretoucher.touchAhead(1_003 * SECOND), "one step at most");
            assertEquals(JournalPretoucher.PAGES_PER_STEP, pretoucher.touchAhead(1_003 * SECOND), "then the next step");
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void aNewDaysFileIsTouchedFromItsOwnStartOnceAnAppenderMadeIt()
    {
        try (Journal journal = Journal.openForWriting(dir, time); JournalAppender appender = journal.newAppender();
             JournalPretoucher pretoucher = new JournalPretoucher(journal.queue(), errors::add))
        {
            for (int i = 0; i < 300; i++)
            {
                appender.append(record(i), RECORD); // 300 KB into the first day's file
            }
            assertTrue(pretoucher.touchAhead(SECOND) > 0);
            time.advanceMillis(TimeUnit.DAYS.toMillis(1));
            assertEquals(-1, pretoucher.touchAhead(2 * SECOND), "the next day has no file until an append makes it");
            appender.append(record(1), RECORD);
            final long first = writePosition(journal);
            assertTrue(first < 300 * RECORD, "the new file starts over: " + first);
            assertEquals((((first + JournalPretoucher.MIN_AHEAD) & -PAGE) - ((first & -PAGE) + PAGE)) / PAGE,
                pretoucher.touchAhead(3 * SECOND), "touched from the new file's write position, the old file's progress forgotten");
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void thePauseAfterAStepFollowsWhatItFound()
    {
        assertTrue(JournalPretoucher.pauseAfter(JournalPretoucher.PAGES_PER_STEP) < JournalPretoucher.pauseAfter(1),
            "a full step: more is due, so the next comes soon");
        assertTrue(JournalPretoucher.pauseAfter(1) < JournalPretoucher.pauseAfter(0), "nothing new: a longer wait");
        assertTrue(JournalPretoucher.pauseAfter(0) < JournalPretoucher.pauseAfter(-1), "no file yet: the longest");
    }

    /** Today's day file's write position, as the pretoucher reads it. */
    private static long writePosition(final Journal journal)
    {
        final var queue = journal.queue();
        final var store = queue.storeForCycle(queue.cycle(), queue.epoch(), false, null);
        try
        {
            return store.writePosition();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    @Test
    void theLookaheadIsAboutASecondOfAppendsWithinItsBounds()
    {
        final JournalPretoucher.AppendRate rate = new JournalPretoucher.AppendRate();
        assertEquals(JournalPretoucher.MIN_AHEAD, rate.lookahead(0, 0), "no rate yet");
        long write = 0;
        for (int second = 1; second <= 20; second++)
        {
            write += 1_000_000; // 1 MB a second
            rate.lookahead(write, second * SECOND);
        }
        final long ahead = rate.lookahead(write + 1_000_000, 21 * SECOND);
        assertTrue(ahead > 900_000 && ahead <= 1_000_000, "about a second of appends: " + ahead);
        for (int second = 22; second <= 40; second++)
        {
            write += 100_000_000; // far past the bound
            rate.lookahead(write, second * SECOND);
        }
        assertEquals(JournalPretoucher.MAX_AHEAD, rate.lookahead(write + 100_000_000, 41 * SECOND), "at most the bound");
    }

    @Test
    void recordsAppendedWhileThePretoucherRunsReadBackIntact()
    {
        final List<Integer> written = new ArrayList<>();
        try (Journal journal = Journal.openForWriting(dir, time))
        {
            try (JournalPretoucher pretoucher = journal.startPretoucher(errors::add); JournalAppender appender = journal.newAppender())
            {
                assertTrue(pretoucher.running(), "native POSIX calls here: the thread runs");
                for (int i = 0; i < 50_000; i++)
                {
                    appender.append(record(i), RECORD);
                    written.add(i);
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (pretoucher.pagesTouched() == 0 && System.nanoTime() < deadline)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                assertTrue(pretoucher.pagesTouched() > 0, "the thread touched pages while the appends ran");
                assertEquals(0, pretoucher.failures());
            }
            assertEquals(written, readBack(journal));
            assertEquals(List.of(), errors);
        }
    }

    /** Each record's value, its bytes checked (these records are not events: a JournalReader would skip them). */
    private static List<Integer> readBack(final Journal journal)
    {
        final List<Integer> read = new ArrayList<>();
        try (ExcerptTailer tailer = journal.queue().createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return read;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    assertEquals(RECORD, bytes.readRemaining());
                    final int value = bytes.readInt(bytes.readPosition());
                    for (int b = 4; b < RECORD; b++)
                    {
                        assertEquals((byte)(value + b), bytes.readByte(bytes.readPosition() + b), "record " + value + " byte " + b);
                    }
                    read.add(value);
                }
            }
        }
    }

    /** The one record buffer (the appender wraps it once), holding {@code value} and bytes made from it. */
    private ByteBuffer record(final int value)
    {
        recordBuffer.putInt(0, value);
        for (int b = 4; b < RECORD; b++)
        {
            recordBuffer.put(b, (byte)(value + b));
        }
        return recordBuffer;
    }
}
