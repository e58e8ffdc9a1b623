package io.tally.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.tally.codec.EventRecord.*;

/**
 * Reads an {@link EventRecord} in place. {@link #wrap} walks the string lengths once; getters then read
 * fixed offsets. String getters that return {@code String} are for cold paths (dump, APIs).
 */
public final class EventRecordDecoder
{
    private static final int MAX_STRINGS = STRING_FIELDS + 2 * Beacon.MAX_PROPERTIES;

    private final int[] stringOffsets = new int[MAX_STRINGS];
    private final int[] stringLengths = new int[MAX_STRINGS];
    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * @return false when the bytes are not a record of a version this decoder knows, claim more properties
     * than a record can hold, or are cut short.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < STRINGS_OFFSET || buffer.getByte(offset + VERSION_OFFSET) != VERSION ||
            propertyCount() > Beacon.MAX_PROPERTIES)
        {
            return false;
        }
        final int strings = STRING_FIELDS + 2 * propertyCount();
        int position = offset + STRINGS_OFFSET;
        final int end = offset + length;
        for (int i = 0; i < strings; i++)
        {
            if (position + 2 > end)
            {
                return false;
            }
            final int stringLength = buffer.getShort(position) & 0xFFFF;
            stringOffsets[i] = position + 2;
            stringLengths[i] = stringLength;
            position += 2 + stringLength;
        }
        return position <= end;
    }

    public int length()
    {
        return length;
    }

    public int version()
    {
        return buffer.getByte(offset + VERSION_OFFSET);
    }

    public EventType type()
    {
        return EventType.fromCode(buffer.getByte(offset + TYPE_OFFSET));
    }

    public int flags()
    {
        return buffer.getShort(offset + FLAGS_OFFSET) & 0xFFFF;
    }

    public boolean hasFlag(final int flag)
    {
        return (flags() & flag) != 0;
    }

    public int droppedPropertyCount()
    {
        return buffer.getShort(offset + DROPPED_OFFSET) & 0xFFFF;
    }

    public long receivedAt()
    {
        return buffer.getLong(offset + RECEIVED_AT_OFFSET);
    }

    /** When the event happened: the receive time, or a trusted event's own {@code ts}. */
    public long eventTime()
    {
        return buffer.getLong(offset + EVENT_TIME_OFFSET);
    }

    public long visitorId()
    {
        return buffer.getLong(offset + VISITOR_OFFSET);
    }

    public long sessionId()
    {
        return buffer.getLong(offset + SESSION_OFFSET);
    }

    public long revenueUnscaled()
    {
        return buffer.getLong(offset + REVENUE_OFFSET);
    }

    public int revenueScale()
    {
        return buffer.getByte(offset + REVENUE_SCALE_OFFSET);
    }

    public String currency()
    {
        return buffer.getStringWithoutLengthAscii(offset + CURRENCY_OFFSET, 3);
    }

    /** Whether the goal value has a currency (a macro goal's does): read without making its string. */
    public boolean hasValueCurrency()
    {
        return buffer.getByte(offset + VALUE_CURRENCY_OFFSET) != 0;
    }

    /** Where the record starts in {@link #buffer()}: fixed fields are at this plus their offset. */
    public int offset()
    {
        return offset;
    }

    /** ISO 4217 code of the goal value; empty when the value has none (not a macro goal's). */
    public String valueCurrency()
    {
        return buffer.getByte(offset + VALUE_CURRENCY_OFFSET) == 0 ? "" :
            buffer.getStringWithoutLengthAscii(offset + VALUE_CURRENCY_OFFSET, 3);
    }

    public long valueUnscaled()
    {
        return buffer.getLong(offset + VALUE_OFFSET);
    }

    public int valueScale()
    {
        return buffer.getByte(offset + VALUE_SCALE_OFFSET);
    }

    public long secondsUnscaled()
    {
        return buffer.getLong(offset + SECONDS_OFFSET);
    }

    public int secondsScale()
    {
        return buffer.getByte(offset + SECONDS_SCALE_OFFSET);
    }

    public int goalWeight()
    {
        return buffer.getByte(offset + GOAL_WEIGHT_OFFSET) & 0xFF;
    }

    public int propertyCount()
    {
        return buffer.getByte(offset + PROPERTY_COUNT_OFFSET) & 0xFF;
    }

    /** Absolute offset in the buffer of string {@code field} (one of the {@link EventRecord} field ids). */
    public int stringOffset(final int field)
    {
        return stringOffsets[field];
    }

    public int stringLength(final int field)
    {
        return stringLengths[field];
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public String string(final int field)
    {
        return utf8(stringOffsets[field], stringLengths[field]);
    }

    /** The text of a recorded beacon field; empty when the beacon had none, or the record does not keep the field. */
    public String string(final BeaconField field)
    {
        return field.recordSlot() == BeaconField.NOT_RECORDED ? "" : string(field.recordSlot());
    }

    public String propertyKey(final int index)
    {
        final int field = STRING_FIELDS + 2 * index;
        return utf8(stringOffsets[field], stringLengths[field]);
    }

    public String propertyValue(final int index)
    {
        final int field = STRING_FIELDS + 2 * index + 1;
        return utf8(stringOffsets[field], stringLengths[field]);
    }

    private String utf8(final int at, final int stringLength)
    {
        if (stringLength == 0)
        {
            return "";
        }
        final byte[] bytes = new byte[stringLength];
        buffer.getBytes(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
