package io.tally.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Appends encoded records to the {@link Journal} from one thread. The record is encoded elsewhere into a
 * direct buffer; this copies it into the queue in one call and reports the index it got.
 * <p>
 * An append that fails midway (a page of the mapped file that the file system could not give a block: the JVM
 * turns that SIGBUS into an {@code InternalError}) leaves Chronicle's appender inside a half-written header, so
 * the next append on it would fail too: the appender is then dropped and a fresh one made for the next append.
 * The half-written record was never completed, so readers never see it.
 */
public final class JournalAppender implements AutoCloseable
{
    private final Supplier<ExcerptAppender> appenders;
    private ExcerptAppender appender;
    private ByteBuffer stagedMemory;
    private Bytes<ByteBuffer> staged;

    JournalAppender(final Supplier<ExcerptAppender> appenders)
    {
        this.appenders = appenders;
    }

    /**
     * Appends {@code length} bytes of {@code record} from position 0. The same {@code record} buffer should be
     * passed every time: the view over it is made once.
     *
     * @return the record's journal index.
     * @throws IllegalStateException when the queue cannot take it (closed, or the disk is full): not stored.
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
            final ExcerptAppender current = appender();
            current.writeBytes(staged);
            return current.lastIndexAppended();
        }
        catch (final RuntimeException | InternalError | AssertionError ex)
        {
            drop();
            throw new IllegalStateException("journal append failed: " + ex, ex);
        }
    }

    private ExcerptAppender appender()
    {
        if (appender == null)
        {
            appender = appenders.get();
            // one thread owns each appender by construction: Chronicle's per-call ownership check is pure cost
            appender.singleThreadedCheckDisabled(true);
        }
        return appender;
    }

    private void drop()
    {
        final ExcerptAppender broken = appender;
        appender = null;
        if (broken != null)
        {
            try
            {
                broken.close();
            }
            catch (final RuntimeException | Error ignored)
            {
                // it is being replaced; what it holds is released as far as it can be
            }
        }
    }

    @Override
    public void close()
    {
        drop();
    }
}
