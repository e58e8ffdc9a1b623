package io.tally.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalPretoucherTest
{
    private static final int RECORD = 1000;

    @TempDir
    Path dir;

    @Test
    void aRoundTouchesThePagesAheadOfTheWritePositionOnceEach()
    {
        try (Journal journal = Journal.openForWriting(dir); JournalAppender appender = journal.newAppender())
        {
            final JournalPretoucher pretoucher = new JournalPretoucher(journalQueue(journal));
            assertEquals(0, pretoucher.touchAhead(), "no day file yet: nothing to touch");
            appender.append(record(1), RECORD);
            final int first = pretoucher.touchAhead();
            assertEquals(JournalPretoucher.AHEAD / JournalPretoucher.PAGE, first, 1.0, "the pages up to AHEAD past the write position");
            assertEquals(0, pretoucher.touchAhead(), "nothing new to touch while the write position stays");
            for (int i = 0; i < 100; i++)
            {
                appender.append(record(i), RECORD);
            }
            final int next = pretoucher.touchAhead();
            assertTrue(next >= 100 * RECORD / JournalPretoucher.PAGE - 1 && next <= 100 * RECORD / JournalPretoucher.PAGE + 2,
                "only the pages the appends moved past: " + next);
        }
    }

    @Test
    void recordsAppendedWhileThePretoucherRunsReadBackIntact() throws Exception
    {
        final List<Integer> written = new ArrayList<>();
        try (Journal journal = Journal.openForWriting(dir))
        {
            try (JournalPretoucher pretoucher = journal.startPretoucher(); JournalAppender appender = journal.newAppender())
            {
                for (int i = 0; i < 50_000; i++)
                {
                    appender.append(record(i), RECORD);
                    written.add(i);
                }
                final long touched = pretoucher.pagesTouched();
                while (pretoucher.pagesTouched() == touched)
                {
                    Thread.onSpinWait(); // a round after the last append: the thread is still touching pages
                }
                assertEquals(0, pretoucher.failures());
            }
            final List<Integer> read = new ArrayList<>();
            // these records are not events (a JournalReader would skip them as unreadable): their bytes are read raw
            try (net.openhft.chronicle.queue.ExcerptTailer tailer = journalQueue(journal).createTailer())
            {
                for (int n = 0; n < written.size(); n++)
                {
                    try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
                    {
                        assertTrue(dc.isPresent(), "record " + n);
                        final net.openhft.chronicle.bytes.Bytes<?> bytes = dc.wire().bytes();
                        assertEquals(RECORD, bytes.readRemaining());
                        final int value = bytes.readInt(bytes.readPosition());
                        for (int b = 4; b < RECORD; b++)
                        {
                            assertEquals((byte)(value + b), bytes.readByte(bytes.readPosition() + b), "record " + n + " byte " + b);
                        }
                        read.add(value);
                    }
                }
            }
            assertEquals(written, read);
        }
    }

    private static net.openhft.chronicle.queue.impl.single.SingleChronicleQueue journalQueue(final Journal journal)
    {
        return journal.queue();
    }

    private static final ByteBuffer RECORD_BUFFER = ByteBuffer.allocateDirect(RECORD).order(java.nio.ByteOrder.nativeOrder());

    /** The one record buffer (the appender wraps it once), holding {@code value} and bytes made from it. */
    private static ByteBuffer record(final int value)
    {
        final ByteBuffer record = RECORD_BUFFER;
        record.putInt(0, value);
        for (int b = 4; b < RECORD; b++)
        {
            record.put(b, (byte)(value + b));
        }
        return record;
    }
}
