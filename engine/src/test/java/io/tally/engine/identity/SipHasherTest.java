package io.tally.engine.identity;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SipHasherTest
{
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    @Test
    void givesSipHash24sReferenceOutputs()
    {
        assertEquals(0x726fdb47dd0e0e31L, new SipHasher().reset(K0, K1).finish(), "the empty message");
        final SipHasher hasher = new SipHasher().reset(K0, K1);
        for (int i = 0; i < 15; i++)
        {
            hasher.putByte(i);
        }
        assertEquals(0xa129ca6149be45e5L, hasher.finish(), "bytes 00 to 0e");
    }

    @Test
    void charsHashAsTheirTwoBytesEachThenTheLengthWhateverCameBefore()
    {
        final Random random = new Random(11);
        for (int run = 0; run < 5_000; run++)
        {
            final int before = random.nextInt(20);
            final StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(70); i > 0; i--)
            {
                text.append((char)(random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x10000)));
            }
            final SipHasher packed = new SipHasher().reset(K0, K1);
            final SipHasher bytewise = new SipHasher().reset(K0, K1);
            for (int i = 0; i < before; i++)
            {
                packed.putByte(i);
                bytewise.putByte(i);
            }
            packed.putChars(text);
            for (int i = 0; i < text.length(); i++)
            {
                bytewise.putByte(text.charAt(i)).putByte(text.charAt(i) >>> 8);
            }
            bytewise.putLong(text.length());
            assertEquals(bytewise.finish(), packed.finish(), () -> before + " bytes, then '" + text + "'");
        }
    }
}
