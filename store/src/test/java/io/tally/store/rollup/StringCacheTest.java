package io.tally.store.rollup;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StringCacheTest
{
    private final StringCache cache = new StringCache();

    /** The text's UTF-8 bytes at an odd offset of a direct buffer, as a journal record holds them. */
    private static UnsafeBuffer at(final int offset, final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(offset + utf8.length + 8));
        buffer.putBytes(offset, utf8);
        return buffer;
    }

    private String get(final int offset, final String text)
    {
        return cache.get(at(offset, text), offset, text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void everyLengthReadsBackAndRepeatsAreTheSameString()
    {
        for (int length = 0; length <= 40; length++)
        {
            final String text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG".substring(0, length);
            final String first = get(3, text);
            assertEquals(text, first);
            assertSame(first, get(5, text), "length " + length);
        }
    }

    @Test
    void valuesDifferingInOneByteAnywhereAreNotConfused()
    {
        final String base = "utm_campaign=spring-sale-2026";
        final String cached = get(1, base);
        for (int i = 0; i < base.length(); i++)
        {
            final String changed = base.substring(0, i) + '#' + base.substring(i + 1);
            assertEquals(changed, get(1, changed), "byte " + i);
            assertEquals(base, get(1, base));
        }
        assertEquals(base, cached);
    }

    @Test
    void valuesDifferingOnlyAtTheirEndSpreadOverTheSlots()
    {
        for (final String prefix : new String[] {"/blog/", "/blog/posts/ab", "campaign-2026-summer-x", "/pricing/tier-"})
        {
            final String[] values = new String[100];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = get(0, prefix + (i < 10 ? "0" + i : Integer.toString(i)));
            }
            int stillCached = 0;
            for (int i = 0; i < values.length; i++)
            {
                stillCached += get(2, values[i]) == values[i] ? 1 : 0;
            }
            assertTrue(stillCached >= 95, prefix + ": " + stillCached + " of 100 still cached");
        }
    }

    @Test
    void utf8AtAndPastTheCachedLengthIsDecoded()
    {
        final String atLimit = "\u00fc".repeat(128);
        assertEquals(256, atLimit.getBytes(StandardCharsets.UTF_8).length);
        assertSame(get(0, atLimit), get(7, atLimit));

        final String pastLimit = atLimit + "x";
        final String once = get(0, pastLimit);
        assertEquals(pastLimit, once);
        assertNotSame(once, get(0, pastLimit), "past 256 bytes a value is decoded each time, not kept");
    }
}
