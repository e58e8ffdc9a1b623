package io.tally.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalAppenderTest
{
    @TempDir
    Path dir;

    @Test
    void anAppendTheQueueCannotTakeThrowsTheOneExceptionTheIngestPathMapsTo503() throws Exception
    {
        final Journal journal = Journal.openForWriting(dir);
        final JournalAppender appender = journal.newAppender();
        final ByteBuffer record = ByteBuffer.allocateDirect(64);
        final long index = appender.append(record, 64);
        assertEquals(journal.lastIndex(), index);
        journal.close();
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> appender.append(record, 64));
        assertTrue(refused.getMessage().startsWith("journal append failed: "), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> appender.append(record, 64), "and again: a fresh appender fails the same");
        appender.close();
    }
}
