package io.tally.codec;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.tally.codec.EventRecord.*;

/**
 * Writes a backfilled conversion record: the event's record copied in layout {@link EventRecord#VERSION} (a version 1
 * event's missing audience fields as unknown), with the goal fields a goal backfill decided, the
 * {@link EventRecord#BACKFILL_KIND} bit in its version byte, and the event's journal index after the properties.
 * Everything else (times, visitor, session, URL, properties, revenue) is the event's, so every reader counts the
 * conversion under the same day, hour, visitor, session, page and source as the event. A cold path.
 */
public final class BackfillRecordEncoder
{
    private final ByteBuffer memory;
    private final UnsafeBuffer buffer;

    public BackfillRecordEncoder()
    {
        memory = ByteBuffer.allocateDirect(MAX_OVERHEAD + BACKFILL_TRAILER + 8 * Beacon.MAX_VALUE_CHARS *
            (STRING_FIELDS + 2 * Beacon.MAX_PROPERTIES)).order(ByteOrder.LITTLE_ENDIAN);
        buffer = new UnsafeBuffer(memory);
    }

    /** The encoded bytes, from position 0: what the journal appends. */
    public ByteBuffer memory()
    {
        return memory;
    }

    /** The goal a backfill decided for an event. */
    public record Conversion(byte[] goal, int weight, boolean first, boolean converts, boolean hasValue, long valueUnscaled,
        int valueScale, byte[] valueCurrency)
    {
    }

    /**
     * Encodes the backfilled conversion of {@code event} (wrapped, read at journal {@code index}).
     *
     * @return the record's length.
     */
    public int encode(final EventRecordDecoder event, final long index, final Conversion conversion)
    {
        event.buffer().getBytes(event.offset(), buffer, 0, STRINGS_OFFSET);
        buffer.putByte(VERSION_OFFSET, (byte)(VERSION | BACKFILL_KIND));
        if (event.layoutVersion() == VERSION_1)
        {
            buffer.putByte(SCROLL_DEPTH_OFFSET, (byte)NO_SCROLL_DEPTH);
        }
        int flags = event.flags() & ~(FLAG_GOAL | FLAG_FIRST_CONVERSION | FLAG_CONVERSION | FLAG_VALUE);
        flags |= FLAG_GOAL | (conversion.first() ? FLAG_FIRST_CONVERSION : 0) | (conversion.converts() ? FLAG_CONVERSION : 0);
        flags |= conversion.converts() ? FLAG_SESSION_CONVERTED : 0;
        buffer.putByte(GOAL_WEIGHT_OFFSET, (byte)conversion.weight());
        if (conversion.hasValue())
        {
            flags |= FLAG_VALUE;
            buffer.putLong(VALUE_OFFSET, conversion.valueUnscaled());
            buffer.putByte(VALUE_SCALE_OFFSET, (byte)conversion.valueScale());
            final byte[] currency = conversion.valueCurrency();
            for (int i = 0; i < 3; i++)
            {
                buffer.putByte(VALUE_CURRENCY_OFFSET + i, currency == null ? 0 : currency[i]);
            }
        }
        buffer.putShort(FLAGS_OFFSET, (short)flags);
        int position = STRINGS_OFFSET;
        for (int field = 0; field < STRING_FIELDS + 2 * event.propertyCount(); field++)
        {
            position = field == GOAL ? put(position, conversion.goal()) : copy(event, field, position);
        }
        buffer.putLong(position, index);
        return position + BACKFILL_TRAILER;
    }

    private int copy(final EventRecordDecoder event, final int field, final int position)
    {
        final int length = event.stringLength(field);
        buffer.putShort(position, (short)length);
        event.buffer().getBytes(event.stringOffset(field), buffer, position + 2, length);
        return position + 2 + length;
    }

    private int put(final int position, final byte[] utf8)
    {
        buffer.putShort(position, (short)utf8.length);
        buffer.putBytes(position + 2, utf8);
        return position + 2 + utf8.length;
    }
}
