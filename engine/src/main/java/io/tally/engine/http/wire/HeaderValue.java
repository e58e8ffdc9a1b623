package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * One header's value (or the request target), copied out of the read buffer into a byte array the connection
 * reuses: the head's bytes may be gone by the time the body has arrived and a route reads the value. A
 * {@link CharSequence} of ISO-8859-1 characters, one per byte, the way Netty's decoder made its Strings, so that
 * what hashes or compares the characters sees the same ones. {@link #toString()} makes a String (cold paths only).
 */
public final class HeaderValue implements CharSequence
{
    private byte[] bytes = new byte[64];
    private int length;
    private boolean present;

    void clear()
    {
        length = 0;
        present = false;
    }

    /** Copies {@code [from, to)} of {@code buffer}; the array grows (at most to the head's limit) and is kept. */
    void set(final ByteBuf buffer, final int from, final int to)
    {
        final int size = to - from;
        if (size > bytes.length)
        {
            bytes = new byte[Math.max(size, bytes.length * 2)];
        }
        buffer.getBytes(from, bytes, 0, size);
        length = size;
        present = true;
    }

    /** The request sent this header (perhaps empty). */
    public boolean isPresent()
    {
        return present;
    }

    /** This value, or null when the header was not sent: for the checks that take a missing header as null. */
    public CharSequence orNull()
    {
        return present ? this : null;
    }

    /** A String of the value, or null when the header was not sent; allocates (cold paths). */
    public String stringOrNull()
    {
        return present ? toString() : null;
    }

    /** Writes the value's bytes as they came (the scanner let no CR, LF or other control character in). */
    public void writeTo(final ByteBuf out)
    {
        out.writeBytes(bytes, 0, length);
    }

    /** Whether the value's first {@code end} bytes are exactly {@code expected}. */
    public boolean headIs(final int end, final byte[] expected)
    {
        if (end != expected.length)
        {
            return false;
        }
        for (int i = 0; i < end; i++)
        {
            if (bytes[i] != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    /** Where {@code b} first occurs, or the length when it does not. */
    public int indexOrLength(final byte b)
    {
        for (int i = 0; i < length; i++)
        {
            if (bytes[i] == b)
            {
                return i;
            }
        }
        return length;
    }

    @Override
    public int length()
    {
        return length;
    }

    @Override
    public char charAt(final int index)
    {
        if (index >= length)
        {
            throw new IndexOutOfBoundsException(index);
        }
        return (char)(bytes[index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return toString().substring(start, end);
    }

    @Override
    public String toString()
    {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
