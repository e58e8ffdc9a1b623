package io.tally.store;

import io.tally.codec.EventRecordDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads records from the {@link Journal} in order, in place: each record is handed to the caller as an
 * {@link EventRecordDecoder} over the mapped memory, valid only during the callback.
 */
public final class JournalReader implements AutoCloseable
{
    /** Receives one record; the decoder is valid only during the call. */
    @FunctionalInterface
    public interface RecordHandler
    {
        void onRecord(long index, EventRecordDecoder record);
    }

    private final ExcerptTailer tailer;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final EventRecordDecoder decoder = new EventRecordDecoder();
    private long unreadable;
    private long lastRead = -1;
    private boolean withBackfills;

    JournalReader(final ExcerptTailer tailer)
    {
        this.tailer = tailer;
    }

    /**
     * Hands backfilled conversion records to the handler too ({@link EventRecordDecoder#isBackfill()} tells them from
     * events): for the readers that count conversions (rollups, the event store, the conversion memory, the dump).
     * Other readers skip them, as records that are not events.
     */
    public JournalReader withBackfills()
    {
        withBackfills = true;
        return this;
    }

    /** Moves to {@code index}, so the next read returns that record. */
    public boolean moveTo(final long index)
    {
        return tailer.moveToIndex(index);
    }

    /** Moves past the newest record, so the next read returns only records appended from now on. */
    public void moveToEnd()
    {
        tailer.toEnd();
    }

    /**
     * Moves to the first record of the cycle (UTC day, for the journal's daily roll) {@code cycle}.
     *
     * @return false when the journal has no file for that day.
     */
    public boolean moveToCycle(final int cycle)
    {
        return tailer.moveToCycle(cycle);
    }

    /**
     * Moves to the first record of the first day in {@code [fromCycle, toCycle]} the journal has a file for (days
     * without events have none, and retention deletes the oldest).
     *
     * @return false when it has none of them.
     */
    public boolean moveToFirstCycleIn(final long fromCycle, final int toCycle)
    {
        for (long cycle = Math.max(0, fromCycle); cycle <= toCycle; cycle++)
        {
            if (moveToCycle((int)cycle))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads up to {@code limit} records.
     *
     * @return how many were read; 0 when none is there yet.
     */
    public int read(final RecordHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long length = bytes.readRemaining();
                view.wrap(bytes.addressForRead(bytes.readPosition()), (int)length);
                if (withBackfills ? decoder.wrapWithBackfills(view, 0, (int)length) : decoder.wrap(view, 0, (int)length))
                {
                    handler.onRecord(dc.index(), decoder);
                }
                else if (withBackfills || !EventRecordDecoder.isBackfill(view, 0, (int)length))
                {
                    unreadable++;
                }
                lastRead = dc.index();
                count++;
            }
        }
        return count;
    }

    /** The index of the last record read, readable or not; -1 before the first. */
    public long lastReadIndex()
    {
        return lastRead;
    }

    /** Records skipped because their layout version is unknown or they were cut short. */
    public long unreadableCount()
    {
        return unreadable;
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
