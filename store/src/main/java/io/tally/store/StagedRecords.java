package io.tally.store;

import io.tally.codec.EventRecordDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A few journal records copied out of the mapped journal, so a reader can look at all of them before it
 * handles any: the rollups look up every record's visitor and session first, letting the CPU wait for those
 * cache misses together rather than one after another. Reused from batch to batch; single-threaded.
 */
public final class StagedRecords
{
    private final UnsafeBuffer bytes = new UnsafeBuffer(new byte[64 * 1024]);
    private final EventRecordDecoder decoder = new EventRecordDecoder();
    private final int capacity;
    private final int[] offsets;
    private final int[] lengths;
    private final long[] indexes;
    private int count;
    private int used;

    public StagedRecords(final int capacity)
    {
        this.capacity = capacity;
        this.offsets = new int[capacity];
        this.lengths = new int[capacity];
        this.indexes = new long[capacity];
    }

    public int capacity()
    {
        return capacity;
    }

    public int count()
    {
        return count;
    }

    void clear()
    {
        count = 0;
        used = 0;
    }

    boolean isFull()
    {
        return count == capacity;
    }

    void add(final long index, final DirectBuffer from, final int length)
    {
        if (used + length > bytes.capacity())
        {
            bytes.wrap(Arrays.copyOf(bytes.byteArray(), Math.max(bytes.capacity() * 2, used + length)));
        }
        bytes.putBytes(used, from, 0, length);
        offsets[count] = used;
        lengths[count] = length;
        indexes[count] = index;
        used += length;
        count++;
    }

    /** The journal index of record {@code i}. */
    public long index(final int i)
    {
        return indexes[i];
    }

    /** Record {@code i}, through a decoder valid until the next call (it read well when it was staged). */
    public EventRecordDecoder record(final int i)
    {
        decoder.wrap(bytes, offsets[i], lengths[i]);
        return decoder;
    }
}
