package io.tally.store.rollup;

import org.agrona.collections.Long2ObjectHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A map from {@code long} to a value that keeps roughly the most recently used {@code capacity} entries, in
 * two generations of half the capacity each: a get that finds its key in the older generation moves it to
 * the newer; when the newer is full, the older (everything not used since) is dropped and the newer becomes
 * the older. So every entry used within the last {@code capacity / 2} insertions survives, none past
 * {@code capacity} does, and nothing boxes or links per entry as an access-ordered {@code LinkedHashMap} does.
 * Not thread-safe.
 */
final class RecentLongMap<V>
{
    /** Writes a value for a checkpoint. */
    interface ValueWriter<V>
    {
        void write(DataOutput out, V value) throws IOException;
    }

    /** Reads a value a {@link ValueWriter} wrote. */
    interface ValueReader<V>
    {
        V read(DataInput in) throws IOException;
    }

    private final int generationSize;
    private Long2ObjectHashMap<V> newer = new Long2ObjectHashMap<>();
    private Long2ObjectHashMap<V> older = new Long2ObjectHashMap<>();

    RecentLongMap(final int capacity)
    {
        if (capacity < 2)
        {
            throw new IllegalArgumentException("capacity must be at least 2: " + capacity);
        }
        this.generationSize = capacity / 2;
    }

    /** The value of {@code key}, or null; a hit counts as a use. */
    V get(final long key)
    {
        final V value = newer.get(key);
        if (value != null)
        {
            return value;
        }
        final V old = older.remove(key);
        if (old != null)
        {
            put(key, old);
        }
        return old;
    }

    void put(final long key, final V value)
    {
        if (newer.size() >= generationSize && !newer.containsKey(key))
        {
            final Long2ObjectHashMap<V> dropped = older;
            older = newer;
            dropped.clear();
            newer = dropped;
        }
        newer.put(key, value);
    }

    int size()
    {
        return newer.size() + older.size();
    }

    /** Writes both generations, older first, so {@link #read} rebuilds exactly this map. */
    void write(final DataOutput out, final ValueWriter<V> values) throws IOException
    {
        write(out, older, values);
        write(out, newer, values);
    }

    private static <V> void write(final DataOutput out, final Long2ObjectHashMap<V> map, final ValueWriter<V> values)
        throws IOException
    {
        out.writeInt(map.size());
        final Long2ObjectHashMap<V>.EntryIterator entries = map.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            out.writeLong(entries.getLongKey());
            values.write(out, entries.getValue());
        }
    }

    /** Reads into this (empty) map the generations {@link #write} wrote, each into its own. */
    void read(final DataInput in, final ValueReader<V> values) throws IOException
    {
        read(in, older, values);
        read(in, newer, values);
    }

    private static <V> void read(final DataInput in, final Long2ObjectHashMap<V> map, final ValueReader<V> values)
        throws IOException
    {
        for (int i = in.readInt(); i > 0; i--)
        {
            map.put(in.readLong(), values.read(in));
        }
    }
}
