package io.tally.store.rollup;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Turns UTF-8 bytes of a journal record into a {@code String}, reusing the one made last time for the same
 * bytes: site names, event names and property keys and values repeat endlessly, so the rollup agent need not
 * make a new string for each. A fixed number of slots, each holding one string and its bytes; a new value
 * replaces whatever shared its slot. Single-threaded (the agent's).
 */
final class StringCache
{
    private static final int SLOTS = 1 << 14;
    private static final int MAX_CACHED_LENGTH = 256;

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
        int hash = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            hash = (hash ^ buffer.getByte(offset + i)) * 0x01000193;
        }
        final int slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
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

    private static boolean matches(final byte[] cached, final DirectBuffer buffer, final int offset)
    {
        for (int i = 0; i < cached.length; i++)
        {
            if (cached[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }
}
