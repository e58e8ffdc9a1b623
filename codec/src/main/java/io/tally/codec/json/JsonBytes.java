package io.tally.codec.json;

import io.netty.buffer.ByteBuf;

import static io.tally.codec.Outcome.INVALID_JSON;
import static io.tally.codec.Outcome.INVALID_UTF8;

/**
 * What each byte is inside a JSON string, as a table {@link JsonStrings} scans with, and the validation of
 * multi-byte UTF-8 sequences: the part of string reading that knows UTF-8 rather than JSON.
 */
final class JsonBytes
{
    static final byte PLAIN = 0;
    static final byte QUOTE = 1;
    static final byte ESCAPE = 2;
    static final byte CONTROL = 3;
    static final byte LEAD2 = 4;
    static final byte LEAD3 = 5;
    static final byte LEAD4 = 6;
    static final byte INVALID = 7;
    static final byte[] STRING_CLASS = stringClasses();

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private JsonBytes()
    {
    }

    /**
     * The index of the first byte in {@code [from, to)} that is not {@link #PLAIN} (a quote, a backslash, a
     * control character or any byte of multi-byte UTF-8), or -1. Most of a body is plain string bytes, so
     * they are tested eight at a time in a {@code long}: the same loop for every caller, where a
     * byte-at-a-time {@code forEachByte} was unrolled well or badly depending on where the JIT inlined it.
     */
    static int findNonPlain(final ByteBuf in, final int from, final int to)
    {
        int at = from;
        for (; at + Long.BYTES <= to; at += Long.BYTES)
        {
            final long special = specialBytes(in.getLongLE(at));
            if (special != 0)
            {
                // the lowest flagged byte is exact: a false flag can only stand above a true one
                return at + (Long.numberOfTrailingZeros(special) >>> 3);
            }
        }
        for (; at < to; at++)
        {
            if (STRING_CLASS[in.getByte(at) & 0xFF] != PLAIN)
            {
                return at;
            }
        }
        return -1;
    }

    /** The high bit of each byte of {@code word} below ' ', above 0x7F, '"' or '\\' (and maybe of bytes above one). */
    private static long specialBytes(final long word)
    {
        final long quote = word ^ QUOTES;
        final long backslash = word ^ BACKSLASHES;
        final long control = (word - SPACES) & ~word;
        return (word | control | zeroBytes(quote) | zeroBytes(backslash)) & HIGH_BITS;
    }

    /** The high bit of each zero byte of {@code word} (and maybe of bytes above one), as in Hacker's Delight. */
    private static long zeroBytes(final long word)
    {
        return (word - ONES) & ~word;
    }

    /**
     * Validates the multi-byte UTF-8 sequence at the cursor whose lead byte has class {@code cls}; returns
     * how many UTF-16 characters it is (1 or 2), or -1 with the error set. Overlong forms, surrogates and
     * code points past U+10FFFF are invalid, as RFC 3629 says.
     */
    static int utf8Units(final JsonCursor c, final byte cls)
    {
        if (cls == CONTROL)
        {
            c.fail(INVALID_JSON, "control character in string");
            return -1;
        }
        if (cls == INVALID)
        {
            c.fail(INVALID_UTF8, "invalid UTF-8");
            return -1;
        }
        final int length = utf8Length(cls);
        if (c.pos + length > c.limit)
        {
            c.fail(INVALID_UTF8, "truncated UTF-8 sequence");
            return -1;
        }
        if (!validContinuation(c.in, c.pos, length))
        {
            c.fail(INVALID_UTF8, "invalid UTF-8");
            return -1;
        }
        return length == 4 ? 2 : 1;
    }

    /** The bytes after a lead byte: RFC 3629's table narrows the second byte's range for four lead bytes. */
    private static boolean validContinuation(final ByteBuf in, final int at, final int length)
    {
        final int lead = in.getByte(at) & 0xFF;
        final int second = in.getByte(at + 1) & 0xFF;
        final int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        final int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
        boolean valid = second >= low && second <= high;
        for (int i = 2; i < length && valid; i++)
        {
            final int next = in.getByte(at + i) & 0xFF;
            valid = next >= 0x80 && next <= 0xBF;
        }
        return valid;
    }

    static int utf8Length(final byte cls)
    {
        return cls == LEAD2 ? 2 : cls == LEAD3 ? 3 : 4;
    }

    private static byte[] stringClasses()
    {
        final byte[] classes = new byte[256];
        for (int b = 0; b < 0x20; b++)
        {
            classes[b] = CONTROL;
        }
        classes['"'] = QUOTE;
        classes['\\'] = ESCAPE;
        for (int b = 0x80; b < 0x100; b++)
        {
            classes[b] = INVALID;
        }
        for (int b = 0xC2; b <= 0xDF; b++)
        {
            classes[b] = LEAD2;
        }
        for (int b = 0xE0; b <= 0xEF; b++)
        {
            classes[b] = LEAD3;
        }
        for (int b = 0xF0; b <= 0xF4; b++)
        {
            classes[b] = LEAD4;
        }
        return classes;
    }
}
