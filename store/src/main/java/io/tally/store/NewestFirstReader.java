package io.tally.store;

import io.tally.codec.EventRecordDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads the {@link Journal}'s records newest first, for the reports that look at the latest events (sessions,
 * realtime, a goal's trial). Chronicle's backward tailer finds each record before the current one by scanning
 * forward from the nearest index entry (every 256th record of the daily roll: some 128 header reads per record);
 * this reader instead reads a block of records forwards (an index lookup, then sequential reads), copies it, and
 * hands the copies out newest first.
 * Blocks grow from {@link #FIRST_BLOCK} to {@link #MAX_BLOCK} records, so a reader that stops early reads little.
 * Cold path: it allocates its copy buffer, never on an event loop.
 */
public final class NewestFirstReader implements AutoCloseable
{
    static final int FIRST_BLOCK = 256;
    static final int MAX_BLOCK = 4096;

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final ExcerptTailer forward;
    private final EventRecordDecoder decoder = new EventRecordDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer copies = new ExpandableArrayBuffer(64 * 1024);
    private int[] offsets = new int[FIRST_BLOCK + 1];
    private long[] indexes = new long[FIRST_BLOCK];
    private int buffered;          // records of the current block not handed out yet (handed out from the end)
    private int cycle;             // the day file the next block is read from
    private long upperSequence;    // the next block ends before this sequence number of that cycle
    private int blockSize = FIRST_BLOCK;
    private boolean exhausted;
    private long unreadable;

    NewestFirstReader(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.forward = queue.createTailer();
        final long last = queue.lastIndex();
        exhausted = last < 0;
        if (!exhausted)
        {
            cycle = rollCycle.toCycle(last);
            upperSequence = rollCycle.toSequenceNumber(last) + 1;
        }
    }

    /**
     * Reads up to {@code limit} records, each older than the one before.
     *
     * @return how many were read; 0 once the oldest record has been read.
     */
    public int read(final JournalReader.RecordHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && (buffered > 0 || readBlock()))
        {
            buffered--;
            final int offset = offsets[buffered];
            final int length = offsets[buffered + 1] - offset;
            if (decoder.wrap(copies, offset, length))
            {
                handler.onRecord(indexes[buffered], decoder);
            }
            else if (!EventRecordDecoder.isBackfill(copies, offset, length))
            {
                unreadable++;
            }
            count++;
        }
        return count;
    }

    /** Records skipped because their layout version is unknown or they were cut short. */
    public long unreadableCount()
    {
        return unreadable;
    }

    /** Copies the next (older) block of records; false when there is none left. */
    private boolean readBlock()
    {
        while (!exhausted)
        {
            while (!exhausted && upperSequence == 0)
            {
                moveToPreviousCycle();
            }
            if (!exhausted && copyBlock() > 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies the records of sequence numbers {@code [upper - block, upper)} of the current day file, read forwards
     * from the first; moves the upper bound down past them.
     *
     * @return the records copied.
     */
    private int copyBlock()
    {
        final long lowerSequence = Math.max(0, upperSequence - blockSize);
        final int count = (int)(upperSequence - lowerSequence);
        upperSequence = lowerSequence;
        blockSize = Math.min(MAX_BLOCK, blockSize * 2);
        if (!forward.moveToIndex(rollCycle.toIndex(cycle, lowerSequence)))
        {
            exhausted = true; // the day's file was deleted under us (retention): nothing older to read
            return 0;
        }
        ensureCapacity(count);
        int length = 0;
        buffered = 0;
        // counted, not read until the next index: the block's last record may be the day file's last, and reading
        // on would open the next day's file only to find a record outside the block
        while (buffered < count)
        {
            try (DocumentContext dc = forward.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final int size = (int)bytes.readRemaining();
                view.wrap(bytes.addressForRead(bytes.readPosition()), size);
                copies.putBytes(length, view, 0, size);
                offsets[buffered] = length;
                indexes[buffered] = dc.index();
                length += size;
                buffered++;
            }
        }
        offsets[buffered] = length;
        return buffered;
    }

    /**
     * Finds the newest record of the day file before {@link #cycle}: the backward tailer steps over the gap between
     * files (days without events have none) as Chronicle does, once per file instead of once per record.
     */
    private void moveToPreviousCycle()
    {
        try (ExcerptTailer backward = queue.createTailer().direction(TailerDirection.BACKWARD))
        {
            if (!backward.moveToIndex(rollCycle.toIndex(cycle, 0)))
            {
                exhausted = true; // the day's file was deleted under us (retention): nothing older to read
                return;
            }
            for (int read = 0; read < 2; read++)
            {
                try (DocumentContext dc = backward.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        exhausted = true;
                        return;
                    }
                    if (rollCycle.toCycle(dc.index()) != cycle)
                    {
                        upperSequence = rollCycle.toSequenceNumber(dc.index()) + 1;
                        cycle = rollCycle.toCycle(dc.index());
                        return;
                    }
                }
            }
            exhausted = true;
        }
    }

    private void ensureCapacity(final int records)
    {
        if (indexes.length < records)
        {
            indexes = new long[records];
            offsets = new int[records + 1];
        }
    }

    @Override
    public void close()
    {
        forward.close();
    }
}
