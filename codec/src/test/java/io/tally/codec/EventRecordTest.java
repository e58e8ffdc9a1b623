package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.tally.codec.EventRecord.*;
import static io.tally.codec.Fixtures.EMOJI;
import static io.tally.codec.Fixtures.properties;
import static io.tally.codec.Fixtures.repeat;
import static io.tally.codec.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventRecordTest
{
    private static final String FULL = "{\"t\":\"c\",\"n\":\"Caf\\u00e9\",\"u\":\"https://blog.example/review?value=3\"," +
        "\"d\":\"shop.example\",\"r\":\"https://news.example/\",\"h\":\"https://www.amazon.de/dp/B08N5WRWNW\"," +
        "\"x\":\"Buy \\\"now\\\" " + EMOJI + "\",\"ti\":\"Title\",\"fn\":\"contact\",\"fi\":\"wpcf7-f42\",\"fp\":\"cf7\"," +
        "\"el\":\"label\",\"ea\":\"action\",\"ec\":\"category\",\"mk\":[\"product\",\"k\\n\u00fc\"]," +
        "\"mv\":[\"Pro Plan\",-0.5e3],\"ra\":29.99,\"rc\":\"eur\",\"v\":12.5,\"sec\":30.5}";
    private static final byte[] SITE_DOMAIN = "shop.example".getBytes(StandardCharsets.UTF_8);

    private final BeaconDecoder beaconDecoder = new BeaconDecoder();
    private final Beacon beacon = new Beacon();
    private final Enrichment enrichment = new Enrichment();
    private final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
    private final EventRecordDecoder decoder = new EventRecordDecoder();
    private final TextView scratchHost = new TextView();
    private final List<ByteBuf> bodies = new ArrayList<>();

    @AfterEach
    void release()
    {
        bodies.forEach(ByteBuf::release);
    }

    private void decodeBeacon(final String body)
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer(utf8(body));
        bodies.add(buffer);
        assertEquals(Outcome.ACCEPTED, beaconDecoder.decode(buffer, beacon), beaconDecoder::errorDetail);
    }

    /** What the ingest path adds: times and ids, the site, the ASIN of the target, the URL's value=. */
    private Enrichment enrich()
    {
        enrichment.reset().receivedAt(1_700_000_000_123L).visitor(0xFEDC_BA98_7654_3210L).session(42L).site(SITE_DOMAIN);
        UrlParts.asin(beacon.target(), enrichment.asin(), scratchHost);
        enrichment.hasUrlValue(UrlParts.valueParameter(beacon.url(), enrichment.urlValue()));
        return enrichment;
    }

    private int encodeAndWrap()
    {
        final int length = encoder.encode(beacon, enrichment);
        assertTrue(length >= STRINGS_OFFSET, "encoded length " + length);
        assertTrue(decoder.wrap(new UnsafeBuffer(encoder.memory()), 0, length));
        assertEquals(length, decoder.length());
        return length;
    }

    private static int stringsLength(final String... strings)
    {
        int length = 0;
        for (final String string : strings)
        {
            length += 2 + string.getBytes(StandardCharsets.UTF_8).length;
        }
        return length;
    }

    @Test
    void everyFieldRoundTrips()
    {
        decodeBeacon(FULL);
        enrich();
        final int length = encodeAndWrap();

        assertEquals(VERSION, decoder.version());
        assertEquals(EventType.CLICK, decoder.type());
        assertEquals(FLAG_REVENUE | FLAG_VALUE | FLAG_SECONDS, decoder.flags());
        assertTrue(decoder.hasFlag(FLAG_REVENUE));
        assertFalse(decoder.hasFlag(FLAG_GOAL));
        assertFalse(decoder.hasFlag(FLAG_FIRST_CONVERSION));
        assertEquals(0, decoder.droppedPropertyCount());
        assertEquals(1_700_000_000_123L, decoder.receivedAt());
        assertEquals(0xFEDC_BA98_7654_3210L, decoder.visitorId());
        assertEquals(42L, decoder.sessionId());
        assertEquals(2999, decoder.revenueUnscaled());
        assertEquals(2, decoder.revenueScale());
        assertEquals("EUR", decoder.currency());
        assertEquals(125, decoder.valueUnscaled(), "v wins over the URL's value=3");
        assertEquals(1, decoder.valueScale());
        assertEquals(305, decoder.secondsUnscaled());
        assertEquals(1, decoder.secondsScale());
        assertEquals(0, decoder.goalWeight());

        assertEquals("shop.example", decoder.string(SITE));
        assertEquals("", decoder.string(BeaconField.DOMAIN), "d is the site, not a field of its own in the record");
        assertEquals("Caf\u00e9", decoder.string(NAME));
        assertEquals("https://blog.example/review?value=3", decoder.string(URL));
        assertEquals("https://news.example/", decoder.string(REFERRER));
        assertEquals("https://www.amazon.de/dp/B08N5WRWNW", decoder.string(TARGET));
        assertEquals("Buy \"now\" " + EMOJI, decoder.string(TEXT));
        assertEquals("Title", decoder.string(TITLE));
        assertEquals("contact", decoder.string(FORM_NAME));
        assertEquals("wpcf7-f42", decoder.string(FORM_ID));
        assertEquals("cf7", decoder.string(FORM_PLUGIN));
        assertEquals("label", decoder.string(LABEL));
        assertEquals("action", decoder.string(ACTION));
        assertEquals("category", decoder.string(CATEGORY));
        assertEquals("B08N5WRWNW", decoder.string(ASIN));
        assertEquals("", decoder.string(GOAL));
        assertEquals("", decoder.string(IDEMPOTENCY_KEY), "browser beacons have no idempotency key");
        assertEquals(decoder.receivedAt(), decoder.eventTime(), "without a trusted ts the event time is the receive time");

        assertEquals(2, decoder.propertyCount());
        assertEquals("product", decoder.propertyKey(0));
        assertEquals("Pro Plan", decoder.propertyValue(0));
        assertEquals("k\n\u00fc", decoder.propertyKey(1));
        assertEquals("-0.5e3", decoder.propertyValue(1));

        final int expectedLength = STRINGS_OFFSET + stringsLength("shop.example", "Caf\u00e9",
            "https://blog.example/review?value=3", "https://news.example/", "https://www.amazon.de/dp/B08N5WRWNW",
            "Buy \"now\" " + EMOJI, "Title", "contact", "wpcf7-f42", "cf7", "label", "action", "category", "B08N5WRWNW",
            "", "", "", "", "", "", "product", "Pro Plan", "k\n\u00fc", "-0.5e3");
        assertEquals(expectedLength, length);
        assertEquals(STRINGS_OFFSET + 2, decoder.stringOffset(SITE));
        assertEquals(SITE_DOMAIN.length, decoder.stringLength(SITE));
    }

    @Test
    void aTrustedEventKeepsItsOwnTimeAndIdempotencyKey()
    {
        decodeBeacon("{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\"}");
        enrich();
        final io.netty.buffer.ByteBuf key = io.netty.buffer.Unpooled.copiedBuffer("order-42", StandardCharsets.UTF_8);
        enrichment.eventTime(1_600_000_000_000L);
        enrichment.idempotencyKey().wrap(key, 0, key.readableBytes());
        encodeAndWrap();
        assertEquals(1_600_000_000_000L, decoder.eventTime());
        assertEquals("order-42", decoder.string(IDEMPOTENCY_KEY));
        assertEquals("Paid", decoder.string(NAME));
        key.release();
    }

    @Test
    void aMinimalBeaconHasDefaultsAndEmptyStrings()
    {
        decodeBeacon("{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
        enrich();
        final int length = encodeAndWrap();
        assertEquals(EventType.PAGEVIEW, decoder.type());
        assertEquals(0, decoder.flags());
        assertEquals(0, decoder.revenueUnscaled());
        assertEquals(0, decoder.revenueScale());
        assertEquals("\0\0\0", decoder.currency());
        assertEquals(0, decoder.valueUnscaled());
        assertEquals(0, decoder.valueScale());
        assertEquals(0, decoder.secondsUnscaled());
        assertEquals(0, decoder.secondsScale());
        assertEquals("pageview", decoder.string(NAME));
        assertEquals("https://shop.example/", decoder.string(URL));
        for (final int field : new int[]{REFERRER, TARGET, TEXT, TITLE, FORM_NAME, FORM_ID, FORM_PLUGIN, LABEL, ACTION,
            CATEGORY, ASIN, GOAL})
        {
            assertEquals("", decoder.string(field), "field " + field);
            assertEquals(0, decoder.stringLength(field), "field " + field);
        }
        assertEquals(0, decoder.propertyCount());
        assertEquals(STRINGS_OFFSET + 2 * STRING_FIELDS + SITE_DOMAIN.length + "pageview".length() +
            "https://shop.example/".length(), length);
    }

    @Test
    void audienceFieldsRoundTripAndDefaultToUnknown()
    {
        decodeBeacon("{\"t\":\"p\",\"u\":\"https://shop.example/\",\"mk\":[\"k\"],\"mv\":[\"v\"]}");
        enrich();
        encodeAndWrap();
        assertEquals(-1, decoder.scrollDepth());
        assertEquals(DEVICE_UNKNOWN, decoder.deviceClass());
        assertFalse(decoder.hasCountry());
        assertEquals("", decoder.country());
        assertEquals(ROBOT_NONE, decoder.robotReason());
        assertEquals("", decoder.string(BROWSER));
        assertEquals("", decoder.string(OS_VERSION));

        enrich().audience(utf8("Firefox"), utf8("133"), utf8("Linux"), null, DEVICE_DESKTOP)
            .country((byte)'D', (byte)'E').robot(ROBOT_AUTOMATION);
        beacon.scrollDepth = 100;
        encodeAndWrap();
        assertEquals(100, decoder.scrollDepth());
        assertEquals(DEVICE_DESKTOP, decoder.deviceClass());
        assertEquals("DE", decoder.country());
        assertEquals(ROBOT_AUTOMATION, decoder.robotReason());
        assertEquals("Firefox", decoder.string(BROWSER));
        assertEquals("133", decoder.string(BROWSER_VERSION));
        assertEquals("Linux", decoder.string(OS));
        assertEquals("", decoder.string(OS_VERSION));
        assertEquals("k", decoder.propertyKey(0), "properties follow the audience strings");
        assertEquals("v", decoder.propertyValue(0));
    }

    /** A version 1 record (no audience strings, reserved bytes zero) reads as before, its audience unknown. */
    @Test
    void versionOneRecordsStayReadable()
    {
        decodeBeacon("{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/\",\"mk\":[\"plan\"],\"mv\":[\"pro\"]}");
        enrich();
        final int length = encodeAndWrap();
        final byte[] v2 = new byte[length];
        decoder.buffer().getBytes(0, v2);
        final int audienceStart = decoder.stringOffset(BROWSER) - 2;
        final int audienceEnd = decoder.stringOffset(OS_VERSION) + decoder.stringLength(OS_VERSION);
        final byte[] v1 = new byte[length - (audienceEnd - audienceStart)];
        System.arraycopy(v2, 0, v1, 0, audienceStart);
        System.arraycopy(v2, audienceEnd, v1, audienceStart, length - audienceEnd);
        v1[VERSION_OFFSET] = VERSION_1;
        for (int i = SCROLL_DEPTH_OFFSET; i < EVENT_TIME_OFFSET; i++)
        {
            v1[i] = 0;
        }

        assertTrue(decoder.wrap(new UnsafeBuffer(v1), 0, v1.length));
        assertEquals(1, decoder.version());
        assertEquals("Signup", decoder.string(NAME));
        assertEquals("", decoder.string(BROWSER));
        assertEquals("", decoder.string(OS_VERSION));
        assertEquals("plan", decoder.propertyKey(0));
        assertEquals("pro", decoder.propertyValue(0));
        assertEquals(-1, decoder.scrollDepth(), "a version 1 zero byte is no scroll depth, not 0%");
        assertEquals(DEVICE_UNKNOWN, decoder.deviceClass());
        assertFalse(decoder.hasCountry());
        assertFalse(decoder.wrap(new UnsafeBuffer(v1), 0, v1.length - 1), "cut short");
        v1[VERSION_OFFSET] = 3;
        assertFalse(decoder.wrap(new UnsafeBuffer(v1), 0, v1.length), "a version this decoder does not know");
    }

    @Test
    void eachEventTypeRoundTrips()
    {
        for (final EventType type : EventType.values())
        {
            final char wire = type == EventType.PAGEVIEW ? 'p' : type == EventType.CUSTOM ? 'e' :
                type == EventType.CLICK ? 'c' : type == EventType.FORM ? 'f' : type == EventType.DOWNLOAD ? 'd' : 'x';
            decodeBeacon("{\"t\":\"" + wire + "\",\"n\":\"N\",\"u\":\"https://shop.example/\"}");
            enrich();
            encodeAndWrap();
            assertEquals(type, decoder.type());
            assertEquals(type.code(), decoder.buffer().getByte(TYPE_OFFSET));
        }
    }

    @Test
    void valueComesFromVThenTheUrlThenNowhere()
    {
        decodeBeacon("{\"t\":\"p\",\"u\":\"https://shop.example/?value=3.50\",\"v\":7}");
        enrich();
        encodeAndWrap();
        assertTrue(decoder.hasFlag(FLAG_VALUE));
        assertEquals(7, decoder.valueUnscaled());
        assertEquals(0, decoder.valueScale());

        decodeBeacon("{\"t\":\"p\",\"u\":\"https://shop.example/?value=3.50\"}");
        enrich();
        encodeAndWrap();
        assertTrue(decoder.hasFlag(FLAG_VALUE));
        assertEquals(350, decoder.valueUnscaled());
        assertEquals(2, decoder.valueScale());

        decodeBeacon("{\"t\":\"p\",\"u\":\"https://shop.example/?value=abc\"}");
        enrich();
        encodeAndWrap();
        assertFalse(decoder.hasFlag(FLAG_VALUE));
        assertEquals(0, decoder.valueUnscaled());
        assertEquals(0, decoder.valueScale());

        decodeBeacon("{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
        enrich();
        encodeAndWrap();
        assertFalse(decoder.hasFlag(FLAG_VALUE));
        assertEquals(0, decoder.valueUnscaled());
    }

    @Test
    void goalFieldsRoundTripAndTheGoalValueWins()
    {
        decodeBeacon("{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/?value=3\",\"v\":7}");
        enrich().goal("Signup goal".getBytes(StandardCharsets.UTF_8), 7, true).goalValue(1999, 2);
        encodeAndWrap();
        assertEquals(FLAG_VALUE | FLAG_GOAL | FLAG_FIRST_CONVERSION, decoder.flags());
        assertEquals("Signup goal", decoder.string(GOAL));
        assertEquals(7, decoder.goalWeight());
        assertEquals(1999, decoder.valueUnscaled());
        assertEquals(2, decoder.valueScale());

        enrich().goal("G\u00f6al".getBytes(StandardCharsets.UTF_8), 255, false);
        encodeAndWrap();
        assertEquals(FLAG_VALUE | FLAG_GOAL, decoder.flags());
        assertEquals("G\u00f6al", decoder.string(GOAL));
        assertEquals(255, decoder.goalWeight());
        assertEquals(7, decoder.valueUnscaled(), "without a goal value, v");
        assertEquals(0, decoder.valueScale());
    }

    @Test
    void droppedPropertiesAreCountedAndTheKeptOnesKeepTheirOrder()
    {
        decodeBeacon("{\"t\":\"e\",\"n\":\"Wide\",\"u\":\"https://shop.example/\"" + properties(35) + "}");
        enrich();
        encodeAndWrap();
        assertEquals(30, decoder.propertyCount());
        assertEquals(5, decoder.droppedPropertyCount());
        for (int i = 0; i < 30; i++)
        {
            assertEquals("k" + i, decoder.propertyKey(i));
            assertEquals("v" + i, decoder.propertyValue(i));
        }
    }

    @Test
    void anEncoderReusedForASmallerRecordLeavesNothingBehind()
    {
        decodeBeacon(FULL);
        enrich().goal("G".getBytes(StandardCharsets.UTF_8), 9, true).goalValue(1, 0);
        encodeAndWrap();
        decodeBeacon("{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
        enrich();
        encodeAndWrap();
        assertEquals(0, decoder.flags());
        assertEquals(0, decoder.goalWeight());
        assertEquals("\0\0\0", decoder.currency());
        assertEquals(0, decoder.revenueUnscaled());
        assertEquals(0, decoder.secondsUnscaled());
        assertEquals(0, decoder.valueUnscaled());
        assertEquals("", decoder.string(ASIN));
        assertEquals("", decoder.string(GOAL));
        assertEquals("", decoder.string(TEXT));
        assertEquals(0, decoder.propertyCount());
        assertEquals(0, decoder.droppedPropertyCount());
    }

    @Test
    void stringsAreCopiedFromACompositeBody()
    {
        final byte[] body = utf8(FULL);
        final CompositeByteBuf composite = PooledByteBufAllocator.DEFAULT.compositeBuffer(Integer.MAX_VALUE);
        try
        {
            for (int at = 0; at < body.length; at += 5)
            {
                final int length = Math.min(5, body.length - at);
                final ByteBuf piece = (at & 1) == 0 ?
                    PooledByteBufAllocator.DEFAULT.directBuffer(length) : PooledByteBufAllocator.DEFAULT.heapBuffer(length);
                composite.addComponent(true, piece.writeBytes(body, at, length));
            }
            assertEquals(Outcome.ACCEPTED, beaconDecoder.decode(composite, beacon));
            enrich();
            encodeAndWrap();
            assertEquals("Buy \"now\" " + EMOJI, decoder.string(TEXT));
            assertEquals("https://blog.example/review?value=3", decoder.string(URL));
            assertEquals("https://www.amazon.de/dp/B08N5WRWNW", decoder.string(TARGET));
            assertEquals("B08N5WRWNW", decoder.string(ASIN));
            assertEquals("Pro Plan", decoder.propertyValue(0));
            assertEquals("k\n\u00fc", decoder.propertyKey(1));
            assertEquals(125, decoder.valueUnscaled(), "v still wins over value=3");
        }
        finally
        {
            composite.release();
        }
    }

    @Test
    void aRecordThatDoesNotFitReturnsMinusOne()
    {
        final String value = repeat("\u20ac", 2000);
        final StringBuilder body = new StringBuilder("{\"t\":\"e\",\"n\":\"Big\",\"u\":\"https://shop.example/\",\"mk\":[");
        for (int i = 0; i < 30; i++)
        {
            body.append(i == 0 ? "" : ",").append("\"k").append(i).append('"');
        }
        body.append("],\"mv\":[");
        for (int i = 0; i < 30; i++)
        {
            body.append(i == 0 ? "" : ",").append('"').append(value).append('"');
        }
        decodeBeacon(body.append("]}").toString());
        enrich();
        assertEquals(-1, encoder.encode(beacon, enrichment), "180,000 bytes of values cannot fit 16 KiB");

        final EventRecordEncoder big = new EventRecordEncoder(EventRecordEncoder.capacityFor(256 * 1024));
        final int length = big.encode(beacon, enrichment);
        assertTrue(length > 30 * 6000);
        assertTrue(decoder.wrap(new UnsafeBuffer(big.memory()), 0, length));
        assertEquals(value, decoder.propertyValue(29));

        assertEquals(length, new EventRecordEncoder(length).encode(beacon, enrichment), "exactly the capacity fits");
        assertEquals(-1, new EventRecordEncoder(length - 1).encode(beacon, enrichment), "one byte short does not");
    }

    @Test
    void aRecordAtAnOffsetIsReadInPlace()
    {
        decodeBeacon(FULL);
        enrich();
        final int length = encoder.encode(beacon, enrichment);
        final UnsafeBuffer shifted = new UnsafeBuffer(new byte[length + 100]);
        shifted.setMemory(0, shifted.capacity(), (byte)0x7F);
        shifted.putBytes(13, encoder.buffer(), 0, length);
        assertTrue(decoder.wrap(shifted, 13, length));
        assertEquals(EventType.CLICK, decoder.type());
        assertEquals(0xFEDC_BA98_7654_3210L, decoder.visitorId());
        assertEquals("EUR", decoder.currency());
        assertEquals("Caf\u00e9", decoder.string(NAME));
        assertEquals("category", decoder.string(CATEGORY));
        assertEquals("-0.5e3", decoder.propertyValue(1));
        assertEquals(13 + STRINGS_OFFSET + 2, decoder.stringOffset(SITE));
    }

    @Test
    void wrapRefusesAnotherVersion()
    {
        decodeBeacon(FULL);
        enrich();
        final int length = encoder.encode(beacon, enrichment);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, encoder.buffer(), 0, length);
        assertTrue(decoder.wrap(copy, 0, length));
        copy.putByte(VERSION_OFFSET, (byte)3);
        assertFalse(decoder.wrap(copy, 0, length));
        copy.putByte(VERSION_OFFSET, (byte)0);
        assertFalse(decoder.wrap(copy, 0, length));
        copy.putByte(VERSION_OFFSET, (byte)-1);
        assertFalse(decoder.wrap(copy, 0, length));
    }

    @Test
    void wrapRefusesATruncatedRecord()
    {
        decodeBeacon(FULL);
        enrich();
        final int length = encoder.encode(beacon, enrichment);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, encoder.buffer(), 0, length);
        for (int cut = 0; cut < length; cut++)
        {
            assertFalse(decoder.wrap(copy, 0, cut), "a record cut to " + cut + " of " + length + " bytes");
        }
        assertTrue(decoder.wrap(copy, 0, length));
    }

    @Test
    void wrapRefusesAPropertyCountPastTheMaximum()
    {
        decodeBeacon(FULL);
        enrich();
        final int length = encoder.encode(beacon, enrichment);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length + 4096]);
        copy.putBytes(0, encoder.buffer(), 0, length);
        for (final int count : new int[]{Beacon.MAX_PROPERTIES + 1, 100, 255})
        {
            copy.putByte(PROPERTY_COUNT_OFFSET, (byte)count);
            assertFalse(decoder.wrap(copy, 0, copy.capacity()), "property count " + count);
        }
    }
}
