package io.tally.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;

import java.nio.ByteBuffer;

/**
 * Appends encoded records to the {@link Journal} from one thread. The record is encoded elsewhere into a
 * direct buffer; this copies it into the queue in one call and reports the index it got.
 */
public final class JournalAppender implements AutoCloseable
{
    private final ExcerptAppender appender;
    private ByteBuffer stagedMemory;
    private Bytes<ByteBuffer> staged;

    JournalAppender(final ExcerptAppender appender)
    {
        this.appender = appender;
        // one thread owns each appender by construction: Chronicle's per-call ownership check is pure cost
        appender.singleThreadedCheckDisabled(true);
    }

    /**
     * Appends {@code length} bytes of {@code record} from position 0. The same {@code record} buffer should be
     * passed every time: the view over it is made once.
     *
     * @return the record's journal index.
     * @throws IllegalStateException when the queue cannot take it (closed, or a page of the mapped file could not
     *                               be given a block: the JVM turns that SIGBUS into an {@code InternalError}): the
     *                               event is not stored.
     */
    public long append(final ByteBuffer record, final int length)
    {
        if (record != stagedMemory)
        {
            stagedMemory = record;
            staged = Bytes.wrapForRead(record);
        }
        staged.readPositionRemaining(0, length);
        try
        {
            appender.writeBytes(staged);
            return appender.lastIndexAppended();
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw new IllegalStateException("journal append failed: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close()
    {
        appender.close();
    }
}
