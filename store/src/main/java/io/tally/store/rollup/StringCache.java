package io.tally.store.rollup;

import org.agrona.DirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Turns UTF-8 bytes of a journal record into a {@code String}, reusing the one made last time for the same
 * bytes: site names, event names and property keys and values repeat endlessly, so the rollup agent need not
 * make a new string for each. A fixed number of slots, each holding one string and its bytes; a new value
 * replaces whatever shared its slot. Single-threaded (the agent's).
 */
final class StringCache
{
    private static final int SLOT_BITS = 14;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int MAX_CACHED_LENGTH = 256;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] strings = new String[SLOTS];

    String get(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == 0)
        {
            return "";
        }
        if (length > MAX_CACHED_LENGTH)
        {
            return buffer.getStringWithoutLengthUtf8(offset, length);
        }
        final int slot = slotOf(buffer, offset, length);
        final byte[] cached = bytes[slot];
        if (cached != null && cached.length == length && matches(cached, buffer, offset))
        {
            return strings[slot];
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        final String string = new String(copy, StandardCharsets.UTF_8);
        bytes[slot] = copy;
        strings[slot] = string;
        return string;
    }

    /** A hash of the bytes, eight at a time; the slot is its top bits, where every input bit has been mixed in. */
    private static int slotOf(final DirectBuffer buffer, final int offset, final int length)
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
        return (int)(hash >>> (Long.SIZE - SLOT_BITS));
    }

    private static long mix(final long value)
    {
        final long product = value * 0x9E3779B97F4A7C15L;
        return product ^ (product >>> 29);
    }

    private static boolean matches(final byte[] cached, final DirectBuffer buffer, final int offset)
    {
        int i = 0;
        for (; i + Long.BYTES <= cached.length; i += Long.BYTES)
        {
            if ((long)LONGS.get(cached, i) != buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN))
            {
                return false;
            }
        }
        for (; i < cached.length; i++)
        {
            if (cached[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }
}
