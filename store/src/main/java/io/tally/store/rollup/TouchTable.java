package io.tally.store.rollup;

import org.agrona.collections.Long2LongHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A bounded map from a session or visitor id to a few ints (and a long), remembering roughly the most recently
 * used {@code capacity} ids in two generations of half the capacity each: a hit in the older generation moves the
 * entry to the newer; when the newer is full the older (everything not used since) is dropped and the newer
 * becomes the older. Entries live in flat arrays, so nothing is allocated per entry once the arrays exist.
 * Not thread-safe.
 */
final class TouchTable
{
    static final int MISSING = -1;

    private final int width;
    private final int generationSize;
    private Generation newer;
    private Generation older;

    /** One generation: ids to slots, and the slots' ints and longs. */
    private static final class Generation
    {
        final Long2LongHashMap slots = new Long2LongHashMap(MISSING);
        final int[] ints;
        final long[] longs;
        int count;

        Generation(final int size, final int width)
        {
            ints = new int[size * width];
            longs = new long[size];
        }

        void clear()
        {
            slots.clear();
            count = 0;
        }
    }

    TouchTable(final int capacity, final int width)
    {
        if (capacity < 2)
        {
            throw new IllegalArgumentException("capacity must be at least 2: " + capacity);
        }
        this.width = width;
        this.generationSize = capacity / 2;
        this.newer = new Generation(Math.min(generationSize, 1024), width);
        this.older = new Generation(Math.min(generationSize, 1024), width);
    }

    /** The slot of {@code id} in {@link #ints()}/{@link #longs()}, or {@link #MISSING}; a hit counts as a use. */
    int find(final long id)
    {
        final long slot = newer.slots.get(id);
        if (slot != MISSING)
        {
            return (int)slot;
        }
        final long old = older.slots.get(id);
        if (old == MISSING)
        {
            return MISSING;
        }
        final Generation from = older;
        from.slots.remove(id);
        final int to = add(id);
        // a swap inside add() may have cleared (and reused) the older generation: its arrays still hold the values
        System.arraycopy(from.ints, (int)old * width, newer.ints, to * width, width);
        newer.longs[to] = from.longs[(int)old];
        return to;
    }

    /** A new slot for {@code id}, which must not be in the table; its values are for the caller to set. */
    int add(final long id)
    {
        if (newer.count == generationSize)
        {
            final Generation dropped = older;
            older = newer;
            dropped.clear();
            newer = dropped;
        }
        if (newer.count == newer.longs.length)
        {
            final int size = Math.min(generationSize, newer.longs.length * 2);
            final Generation grown = new Generation(size, width);
            System.arraycopy(newer.ints, 0, grown.ints, 0, newer.count * width);
            System.arraycopy(newer.longs, 0, grown.longs, 0, newer.count);
            grown.count = newer.count;
            grown.slots.putAll(newer.slots);
            newer = grown;
        }
        final int slot = newer.count++;
        newer.slots.put(id, slot);
        return slot;
    }

    /** The newer generation's ints: a slot's values start at {@code slot * width}. */
    int[] ints()
    {
        return newer.ints;
    }

    long[] longs()
    {
        return newer.longs;
    }

    /** Visits every int of every entry (both generations): for renumbering texts. */
    void rewriteInts(final java.util.function.IntUnaryOperator rewrite)
    {
        for (final Generation generation : new Generation[] {older, newer})
        {
            for (int i = 0; i < generation.count * width; i++)
            {
                generation.ints[i] = rewrite.applyAsInt(generation.ints[i]);
            }
        }
    }

    int size()
    {
        return newer.count + older.count;
    }

    /** Writes both generations, older first, as (id, long, ints) per entry. */
    void write(final DataOutput out) throws IOException
    {
        for (final Generation generation : new Generation[] {older, newer})
        {
            out.writeInt(generation.count);
            final long[] ids = new long[generation.count];
            final Long2LongHashMap.EntryIterator entries = generation.slots.entrySet().iterator();
            while (entries.hasNext())
            {
                entries.next();
                ids[(int)entries.getLongValue()] = entries.getLongKey();
            }
            for (int slot = 0; slot < generation.count; slot++)
            {
                out.writeLong(ids[slot]);
                out.writeLong(generation.longs[slot]);
                for (int i = 0; i < width; i++)
                {
                    out.writeInt(generation.ints[slot * width + i]);
                }
            }
        }
    }

    /** Reads what {@link #write} wrote into this empty table, each generation as it was. */
    void read(final DataInput in) throws IOException
    {
        older = readGeneration(in);
        newer = readGeneration(in);
    }

    private Generation readGeneration(final DataInput in) throws IOException
    {
        final int count = in.readInt();
        if (count < 0 || count > generationSize)
        {
            throw new IOException("a touch generation of " + count + " entries, at most " + generationSize);
        }
        final Generation generation = new Generation(Math.max(count, Math.min(generationSize, 1024)), width);
        for (int slot = 0; slot < count; slot++)
        {
            generation.slots.put(in.readLong(), slot);
            generation.longs[slot] = in.readLong();
            for (int i = 0; i < width; i++)
            {
                generation.ints[slot * width + i] = in.readInt();
            }
        }
        generation.count = count;
        return generation;
    }

    @Override
    public String toString()
    {
        return "TouchTable" + Arrays.toString(new int[] {older.count, newer.count});
    }
}
