package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.tally.codec.EventRecord.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backfilled conversion record is its event's record with the goal fields set and the event's index after it:
 * plain readers refuse it, readers that ask for backfills read every field of the event and the new goal fields; and
 * a beacon filled from a record reads the texts and properties as they were sent.
 */
class BackfillRecordTest
{
    private static final String BODY = "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join?x=1\"," +
        "\"r\":\"https://news.example/\",\"mk\":[\"plan\",\"seats\"],\"mv\":[\"pro\",\"3\"],\"ra\":29.99,\"rc\":\"EUR\"," +
        "\"v\":12.5,\"el\":\"label\"}";

    @Test
    void aBackfilledConversionIsItsEventWithTheGoalFieldsAndTheEventsIndex()
    {
        final EventRecordDecoder event = event();
        final BackfillRecordEncoder encoder = new BackfillRecordEncoder();
        final int length = encoder.encode(event, 0x1234_5678_9AL, new BackfillRecordEncoder.Conversion(
            "Signup".getBytes(StandardCharsets.UTF_8), 2, true, true, true, 125, 1, "USD".getBytes(StandardCharsets.US_ASCII)));
        final UnsafeBuffer bytes = new UnsafeBuffer(encoder.memory(), 0, length);

        final EventRecordDecoder plain = new EventRecordDecoder();
        assertFalse(plain.wrap(bytes, 0, length), "a plain reader does not take it for an event");
        assertTrue(EventRecordDecoder.isBackfill(bytes, 0, length));
        final EventRecordDecoder backfill = new EventRecordDecoder();
        assertTrue(backfill.wrapWithBackfills(bytes, 0, length));
        assertTrue(backfill.isBackfill());
        assertEquals(0x1234_5678_9AL, backfill.backfillOf());
        assertEquals(VERSION, backfill.layoutVersion());
        assertEquals("Signup", backfill.string(GOAL));
        assertEquals(2, backfill.goalWeight());
        assertTrue(backfill.hasFlag(FLAG_GOAL) && backfill.hasFlag(FLAG_FIRST_CONVERSION) && backfill.hasFlag(FLAG_CONVERSION) &&
            backfill.hasFlag(FLAG_SESSION_CONVERTED) && backfill.hasFlag(FLAG_VALUE));
        assertEquals(125, backfill.valueUnscaled());
        assertEquals(1, backfill.valueScale());
        assertEquals("USD", backfill.valueCurrency());
        for (int field = 0; field < STRING_FIELDS; field++)
        {
            if (field != GOAL)
            {
                assertEquals(event.string(field), backfill.string(field), "string " + field);
            }
        }
        assertEquals(2, backfill.propertyCount());
        assertEquals("seats", backfill.propertyKey(1));
        assertEquals("3", backfill.propertyValue(1));
        assertEquals(event.eventTime(), backfill.eventTime());
        assertEquals(event.visitorId(), backfill.visitorId());
        assertEquals(event.sessionId(), backfill.sessionId());
        assertEquals(event.revenueUnscaled(), backfill.revenueUnscaled());
        assertEquals("EUR", backfill.currency());

        final EventRecordDecoder again = new EventRecordDecoder();
        assertTrue(again.wrapWithBackfills(event.buffer(), event.offset(), event.length()), "an event reads as before");
        assertFalse(again.isBackfill());
    }

    @Test
    void aBeaconFilledFromARecordReadsItsTextsAndProperties()
    {
        final Beacon beacon = new RecordBeacon().fill(event(), new Beacon());
        assertEquals(EventType.CUSTOM, beacon.type());
        assertEquals("Signup", beacon.name().toString());
        assertEquals("https://shop.example/join?x=1", beacon.url().toString());
        assertEquals("label", beacon.label().toString());
        assertFalse(beacon.title().isPresent(), "what was not sent is absent");
        assertEquals(2, beacon.propertyCount());
        assertEquals("plan", beacon.propertyKey(0).toString());
        assertEquals("pro", beacon.propertyValue(0).toString());
    }

    private static EventRecordDecoder event()
    {
        final Beacon beacon = new Beacon();
        final ByteBuf body = Unpooled.copiedBuffer(BODY, StandardCharsets.UTF_8);
        assertEquals(Outcome.ACCEPTED, new BeaconDecoder().decode(body, beacon));
        final Enrichment enrichment = new Enrichment().reset().receivedAt(1_767_225_600_000L).eventTime(1_767_225_600_000L)
            .visitor(42).session(7).site("shop.example".getBytes(StandardCharsets.UTF_8));
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        final int length = encoder.encode(beacon, enrichment);
        final byte[] copy = new byte[length];
        encoder.buffer().getBytes(0, copy);
        final EventRecordDecoder record = new EventRecordDecoder();
        assertTrue(record.wrap(new UnsafeBuffer(copy), 0, length));
        return record;
    }
}
