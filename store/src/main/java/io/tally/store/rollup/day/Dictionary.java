package io.tally.store.rollup.day;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Dense ids for UTF-8 strings, looked up straight from a journal record's bytes: the dictionary of one day's
 * dimension values (event names, property keys and values, goals, sources, pages, currencies). Ids start at 0
 * and never change; the bytes live in one growing arena, so an id costs its bytes plus three ints, and looking up
 * a known string allocates nothing. Single-threaded for writing; {@link #string(int)} may be read by queries
 * once the ids they read were published (the arena only grows, old bytes never move).
 */
public final class Dictionary
{
    private static final int EMPTY = -1;

    private UnsafeBuffer arena = new UnsafeBuffer(new byte[4096]);
    private int used;
    private int[] offsets = new int[65];
    private int[] hashes = new int[64];
    private int[] table = newTable(128);
    private int count;

    /** The id of the {@code length} bytes at {@code offset} of {@code buffer}, added when new. */
    public int id(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        final int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            final int id = table[slot];
            if (id == EMPTY)
            {
                return add(slot, hash, buffer, offset, length);
            }
            if (hashes[id] == hash && equals(id, buffer, offset, length))
            {
                return id;
            }
        }
    }

    /** The id of a string (a cold path: queries, segments, tests). */
    public int id(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return id(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** The id of the string, or -1 when it has none. */
    public int find(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return find(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** The id of the bytes, or -1 when they have none: nothing is added. */
    public int find(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        final int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            final int id = table[slot];
            if (id == EMPTY)
            {
                return -1;
            }
            if (hashes[id] == hash && equals(id, buffer, offset, length))
            {
                return id;
            }
        }
    }

    public int size()
    {
        return count;
    }

    public String string(final int id)
    {
        return arena.getStringWithoutLengthUtf8(offsets[id], offsets[id + 1] - offsets[id]);
    }

    /** The bytes of {@code id}: its offset in {@link #arena()} and its length. */
    public int offset(final int id)
    {
        return offsets[id];
    }

    public int length(final int id)
    {
        return offsets[id + 1] - offsets[id];
    }

    public DirectBuffer arena()
    {
        return arena;
    }

    private int add(final int slot, final int hash, final DirectBuffer buffer, final int offset, final int length)
    {
        if (used + length > arena.capacity())
        {
            arena = new UnsafeBuffer(Arrays.copyOf(arena.byteArray(), Math.max(arena.capacity() * 2, used + length)));
        }
        arena.putBytes(used, buffer, offset, length);
        if (count + 1 == hashes.length)
        {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
            offsets = Arrays.copyOf(offsets, hashes.length + 1);
        }
        final int id = count++;
        hashes[id] = hash;
        offsets[id] = used;
        used += length;
        offsets[id + 1] = used;
        table[slot] = id;
        if (count * 2 > table.length)
        {
            rehash();
        }
        return id;
    }

    private void rehash()
    {
        table = newTable(table.length * 2);
        final int mask = table.length - 1;
        for (int id = 0; id < count; id++)
        {
            int slot = hashes[id] & mask;
            while (table[slot] != EMPTY)
            {
                slot = (slot + 1) & mask;
            }
            table[slot] = id;
        }
    }

    private boolean equals(final int id, final DirectBuffer buffer, final int offset, final int length)
    {
        final int start = offsets[id];
        if (offsets[id + 1] - start != length)
        {
            return false;
        }
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if (arena.getLong(start + i, ByteOrder.LITTLE_ENDIAN) != buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (arena.getByte(start + i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    /** A hash of the bytes, eight at a time, every input bit mixed into the low bits the table uses. */
    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        long hash = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            hash = mix(hash ^ buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN));
        }
        for (; i < length; i++)
        {
            hash = mix(hash ^ buffer.getByte(offset + i));
        }
        return (int)(hash ^ (hash >>> 32));
    }

    private static long mix(final long value)
    {
        final long product = value * 0x9E3779B97F4A7C15L;
        return product ^ (product >>> 29);
    }

    private static int[] newTable(final int size)
    {
        final int[] table = new int[size];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
