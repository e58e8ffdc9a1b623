package io.tally.store.rollup.day;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Texts that differ in any one byte, at any length, get ids of their own; equal ones, wherever they lie, the same. */
class DictionaryTest
{
    @Test
    void oneIdPerDistinctText()
    {
        final Random random = new Random(5);
        final Dictionary dictionary = new Dictionary();
        final Map<String, Integer> expected = new HashMap<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 200_000; i++)
        {
            // two letters and short lengths: many texts that differ in a single byte, anywhere in them
            final int length = random.nextInt(20);
            final int offset = random.nextInt(64 - length);
            final StringBuilder text = new StringBuilder();
            for (int b = 0; b < length; b++)
            {
                final char c = random.nextInt(8) == 0 ? 'b' : 'a';
                text.append(c);
                buffer.putByte(offset + b, (byte)c);
            }
            final int known = dictionary.find(buffer, offset, length);
            final Integer before = expected.get(text.toString());
            assertEquals(before == null ? -1 : before, known, text.toString());
            final int id = dictionary.id(buffer, offset, length);
            expected.putIfAbsent(text.toString(), id);
            assertEquals(expected.get(text.toString()), id, text.toString());
            assertEquals(text.toString(), dictionary.string(id));
        }
        assertEquals(expected.size(), dictionary.size());
    }
}
