package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static io.tally.codec.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decimals, MutableDecimal, TextView, EventType and Outcome: the small pieces the decoder and records use. */
class SmallPartsTest
{
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "2999, 2, 29.99",
        "25, 0, 25",
        "100, 0, 100",
        "100, 2, 1.00",
        "5, 3, 0.005",
        "50, 2, 0.50",
        "0, 0, 0",
        "0, 2, 0.00",
        "-1, 0, -1",
        "-5, 3, -0.005",
        "-2999, 2, -29.99",
        "123456789012345678, 18, 0.123456789012345678",
        "9223372036854775807, 0, 9223372036854775807",
        "9223372036854775807, 18, 9.223372036854775807",
        "-9223372036854775808, 0, -9223372036854775808",
        "-9223372036854775808, 2, -92233720368547758.08",
        "-9223372036854775808, 19, -0.9223372036854775808",
        "-9223372036854775808, 25, -0.0000009223372036854775808"})
    void decimalsFormatExactly(final long unscaled, final int scale, final String expected)
    {
        assertEquals(expected, Decimals.format(unscaled, scale));
        assertEquals(0, BigDecimal.valueOf(unscaled, scale).compareTo(new BigDecimal(expected)));
        assertEquals("x=" + expected, Decimals.appendTo(new StringBuilder("x="), unscaled, scale).toString());
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"5, 5, 0", "29.99, 2999, 2", "0.50, 50, 2", "007, 7, 0", "0, 0, 0", "0.00, 0, 0", "000.0, 0, 0",
        "123456789012345678, 123456789012345678, 0", "1.00000000000000000, 100000000000000000, 17"})
    void parsePlainAcceptsDigitsWithOnePoint(final String text, final long unscaled, final int scale)
    {
        final MutableDecimal decimal = new MutableDecimal();
        final ByteBuf buffer = ascii("x" + text + "x");
        assertTrue(decimal.parsePlain(buffer, 1, 1 + text.length()));
        assertEquals(unscaled, decimal.unscaled());
        assertEquals(scale, decimal.scale());
        assertEquals(0, new BigDecimal(text).compareTo(new BigDecimal(decimal.toString())));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", ".", "5.", ".5", "1.2.3", "-5", "+5", "1e2", "1,5", " 5", "5 ", "abc",
        "1234567890123456789", "1.234567890123456789", "\u00bd"})
    void parsePlainRefusesAnythingElseAndLeavesTheValue(final String text)
    {
        final MutableDecimal decimal = new MutableDecimal();
        decimal.set(42, 1);
        final ByteBuf buffer = ascii(text);
        assertFalse(decimal.parsePlain(buffer, 0, buffer.writerIndex()));
        assertEquals(42, decimal.unscaled());
        assertEquals(1, decimal.scale());
        assertEquals("4.2", decimal.toString());
    }

    @Test
    void textViewsCompareAndCopyAcrossBufferKinds()
    {
        final ByteBuf heap = Unpooled.wrappedBuffer(utf8("..caf\u00e9.."));
        final ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(16).writeBytes(utf8("caf\u00e9"));
        try
        {
            final TextView a = new TextView().wrap(heap, 2, 5);
            final TextView b = new TextView().wrap(direct, 0, 5);
            assertTrue(a.isPresent());
            assertEquals("caf\u00e9", a.toString());
            assertTrue(a.contentEquals(b));
            assertTrue(b.contentEquals(a));
            assertFalse(a.contentEquals(new TextView().wrap(direct, 0, 4)));
            assertFalse(a.contentEquals(new TextView().wrap(heap, 1, 5)));
            assertTrue(new TextView().wrap(heap, 2, 3).equalsAscii("caf".getBytes(StandardCharsets.US_ASCII)));
            assertFalse(new TextView().wrap(heap, 2, 3).equalsAscii("cafe".getBytes(StandardCharsets.US_ASCII)));
            assertFalse(new TextView().wrap(heap, 2, 3).equalsAscii("cat".getBytes(StandardCharsets.US_ASCII)));
            assertEquals((byte)'f', a.byteAt(2));

            final ByteBuf target = Unpooled.buffer(8, 8).writeZero(8);
            a.copyTo(target, 1);
            assertEquals("\0caf\u00e9\0\0", target.toString(StandardCharsets.UTF_8));

            a.reset();
            assertFalse(a.isPresent());
            assertEquals("", a.toString());
            assertEquals(0, a.length());
            assertNull(a.buffer());
        }
        finally
        {
            direct.release();
            heap.release();
        }
    }

    @Test
    void eventTypesMapBothWays()
    {
        final String wire = "pecfdx";
        final EventType[] types = EventType.values();
        assertEquals(wire.length(), types.length);
        for (int i = 0; i < types.length; i++)
        {
            assertSame(types[i], EventType.fromWire(wire.charAt(i)));
            assertSame(types[i], EventType.fromCode(types[i].code()));
        }
        assertNull(EventType.fromWire('q'));
        assertNull(EventType.fromWire('P'));
        assertNull(EventType.fromWire(-1));
        assertNull(EventType.fromWire(0xE9));
        assertNull(EventType.fromWire(0));
        assertNull(EventType.fromCode(-1));
        assertNull(EventType.fromCode(types.length));
        assertNull(EventType.CUSTOM.defaultName());
        assertEquals("custom", EventType.CUSTOM.dumpName());
        assertEquals("click", EventType.CLICK.dumpName());
    }

    @Test
    void outcomeCodesAreStable()
    {
        assertEquals(202, Outcome.ACCEPTED.httpStatus());
        assertTrue(Outcome.ACCEPTED.isAccepted());
        for (int i = 0; i < Outcome.count(); i++)
        {
            final Outcome outcome = Outcome.get(i);
            assertEquals(outcome.name().toLowerCase(java.util.Locale.ROOT), outcome.code());
            assertEquals(outcome == Outcome.ACCEPTED, outcome.isAccepted());
        }
        for (final Outcome decoderOutcome : new Outcome[]{Outcome.INVALID_JSON, Outcome.NOT_OBJECT, Outcome.INVALID_UTF8,
            Outcome.INVALID_ESCAPE, Outcome.TRAILING_DATA, Outcome.TOO_DEEP, Outcome.TOO_MANY_KEYS, Outcome.DUPLICATE_KEY,
            Outcome.MISSING_FIELD, Outcome.WRONG_TYPE, Outcome.UNKNOWN_TYPE, Outcome.NAME_TOO_LONG, Outcome.KEY_TOO_LONG,
            Outcome.PROPS_MISMATCH, Outcome.INVALID_REVENUE, Outcome.INVALID_CURRENCY, Outcome.INVALID_NUMBER})
        {
            assertEquals(400, decoderOutcome.httpStatus(), decoderOutcome.code());
        }
    }
}
