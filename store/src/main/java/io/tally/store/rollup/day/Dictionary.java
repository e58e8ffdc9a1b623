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
        return offsets[id + 1] - start == length && equalBytes(arena, start, buffer, offset, length);
    }

    /**
     * Whether {@code length} bytes at {@code aOffset} of {@code a} and at {@code bOffset} of {@code b} are the same:
     * eight at a time, and the bytes past the last eight in at most two reads (overlapping ones), not one by one.
     */
    static boolean equalBytes(final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset,
        final int length)
    {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if (a.getLong(aOffset + i, ByteOrder.LITTLE_ENDIAN) != b.getLong(bOffset + i, ByteOrder.LITTLE_ENDIAN))
            {
                return false;
            }
        }
        return i == length || tail(a, aOffset, i, length) == tail(b, bOffset, i, length);
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
        if (i < length)
        {
            hash = mix(hash ^ tail(buffer, offset, i, length));
        }
        return (int)(hash ^ (hash >>> 32));
    }

    /**
     * The bytes from {@code i} to {@code length} (fewer than eight) of the text at {@code offset} as one long: the
     * text's last eight bytes when it has that many, else two overlapping ints, or the first, middle and last byte.
     * Which bytes are read depends on the length only, so equal texts give equal tails.
     */
    private static long tail(final DirectBuffer buffer, final int offset, final int i, final int length)
    {
        if (length >= Long.BYTES)
        {
            return buffer.getLong(offset + length - Long.BYTES, ByteOrder.LITTLE_ENDIAN);
        }
        final int left = length - i;
        if (left >= Integer.BYTES)
        {
            return (long)buffer.getInt(offset + i, ByteOrder.LITTLE_ENDIAN) << 32 |
                buffer.getInt(offset + length - Integer.BYTES, ByteOrder.LITTLE_ENDIAN) & 0xFFFFFFFFL;
        }
        return (buffer.getByte(offset + i) & 0xFF) << 16 | (buffer.getByte(offset + i + (left >> 1)) & 0xFF) << 8 |
            buffer.getByte(offset + length - 1) & 0xFF;
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
