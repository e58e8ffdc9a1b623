package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Fills a {@link Beacon} from a journal record, so that what the goal matcher tests (type, texts, properties) reads
 * the event as it was received: the texts the record kept are the beacon's, as sent. Used to evaluate goals over
 * stored events (a goal backfill), a cold path: the record's bytes are copied once per event.
 */
public final class RecordBeacon
{
    private byte[] copy = new byte[4096];
    private ByteBuf bytes = Unpooled.wrappedBuffer(copy);

    /** Makes {@code beacon} the event of {@code record}; valid until the next call. */
    public Beacon fill(final EventRecordDecoder record, final Beacon beacon)
    {
        final int length = record.length();
        if (length > copy.length)
        {
            copy = new byte[Math.max(length, copy.length * 2)];
            bytes = Unpooled.wrappedBuffer(copy);
        }
        record.buffer().getBytes(record.offset(), copy, 0, length);
        beacon.reset();
        beacon.type = record.type();
        for (final BeaconField field : BeaconField.RECORDED)
        {
            wrap(beacon.texts[field.ordinal()], record, field.recordSlot());
        }
        final int properties = record.propertyCount();
        for (int i = 0; i < properties; i++)
        {
            wrap(beacon.propKeys[i], record, EventRecord.STRING_FIELDS + 2 * i);
            wrap(beacon.propValues[i], record, EventRecord.STRING_FIELDS + 2 * i + 1);
        }
        beacon.propKeyCount = properties;
        beacon.propValueCount = properties;
        return beacon;
    }

    private void wrap(final TextView text, final EventRecordDecoder record, final int slot)
    {
        final int length = record.stringLength(slot);
        if (length > 0)
        {
            text.wrap(bytes, record.stringOffset(slot) - record.offset(), length);
        }
    }
}
