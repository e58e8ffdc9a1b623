package io.tally.engine.identity;

/**
 * SipHash-2-4, a keyed 64-bit hash, fed incrementally: the key is the secret daily salt, so visitor ids
 * cannot be recomputed without it. Reusable; not thread-safe.
 */
public final class SipHasher
{
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    private long pending;
    private int pendingBytes;
    private long totalBytes;

    public SipHasher reset(final long key0, final long key1)
    {
        v0 = 0x736f6d6570736575L ^ key0;
        v1 = 0x646f72616e646f6dL ^ key1;
        v2 = 0x6c7967656e657261L ^ key0;
        v3 = 0x7465646279746573L ^ key1;
        pending = 0;
        pendingBytes = 0;
        totalBytes = 0;
        return this;
    }

    public SipHasher putByte(final int b)
    {
        pending |= (b & 0xFFL) << (8 * pendingBytes);
        totalBytes++;
        if (++pendingBytes == 8)
        {
            compress(pending);
            pending = 0;
            pendingBytes = 0;
        }
        return this;
    }

    public SipHasher putLong(final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            putByte((int)(value >>> (8 * i)));
        }
        return this;
    }

    public SipHasher putBytes(final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            putByte(b);
        }
        return this;
    }

    /**
     * Each UTF-16 unit as two bytes (low first), then the length, so that adjacent fields cannot run into each
     * other. The same bytes as {@link #putByte} twice a unit, packed a unit at a time when the pending word has
     * an even number of bytes (a unit never straddles two words then): a User-Agent is hashed per request.
     */
    SipHasher putChars(final CharSequence chars)
    {
        final int length = chars.length();
        if ((pendingBytes & 1) != 0)
        {
            for (int i = 0; i < length; i++)
            {
                final char c = chars.charAt(i);
                putByte(c);
                putByte(c >>> 8);
            }
            return putLong(length);
        }
        long word = pending;
        int filled = pendingBytes;
        for (int i = 0; i < length; i++)
        {
            word |= (long)chars.charAt(i) << (8 * filled);
            filled += 2;
            if (filled == 8)
            {
                compress(word);
                word = 0;
                filled = 0;
            }
        }
        pending = word;
        pendingBytes = filled;
        totalBytes += 2L * length;
        return putLong(length);
    }

    public long finish()
    {
        final long last = pending | ((totalBytes & 0xFF) << 56);
        compress(last);
        v2 ^= 0xFF;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void compress(final long m)
    {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    private void round()
    {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
