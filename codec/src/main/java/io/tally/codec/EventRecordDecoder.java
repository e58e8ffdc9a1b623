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
    /** The record's length, without a backfilled conversion's trailer. */
    private int length;
    private boolean backfill;

    /**
     * @return false when the bytes are not a record of a version this decoder knows, claim more properties
     * than a record can hold, or are cut short.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.backfill = false;
        return wrapLayout(buffer.getByte(offset + VERSION_OFFSET));
    }

    /**
     * As {@link #wrap}, and a backfilled conversion record ({@link EventRecord#BACKFILL_KIND}) too: {@link #isBackfill()}
     * tells which, {@link #backfillOf()} is the journal index of the event a backfilled one converts.
     */
    public boolean wrapWithBackfills(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isBackfill(buffer, offset, length))
        {
            return wrap(buffer, offset, length);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length - BACKFILL_TRAILER;
        this.backfill = true;
        return length >= STRINGS_OFFSET + BACKFILL_TRAILER &&
            wrapLayout((byte)(buffer.getByte(offset + VERSION_OFFSET) & (BACKFILL_KIND - 1)));
    }

    /** Whether the bytes are a backfilled conversion record (of any layout). */
    public static boolean isBackfill(final DirectBuffer buffer, final int offset, final int length)
    {
        return length > 0 && (buffer.getByte(offset + VERSION_OFFSET) & BACKFILL_KIND) != 0;
    }

    /** Whether the record wrapped is a backfilled conversion, not an event. */
    public boolean isBackfill()
    {
        return backfill;
    }

    /** The journal index of the event a backfilled conversion record converts. */
    public long backfillOf()
    {
        return buffer.getLong(offset + length);
    }

    /** The layout of the record's body (1 or 2), a backfilled conversion's too. */
    public int layoutVersion()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & (BACKFILL_KIND - 1);
    }

    private boolean wrapLayout(final byte version)
    {
        if (length < STRINGS_OFFSET || propertyCount() > Beacon.MAX_PROPERTIES)
        {
            return false;
        }
        if (version == VERSION)
        {
            return walkStrings(0, STRING_FIELDS + 2 * propertyCount(), offset + STRINGS_OFFSET) <= offset + length;
        }
        if (version == VERSION_1)
        {
            final int position = walkStrings(0, V1_STRING_FIELDS, offset + STRINGS_OFFSET);
            for (int i = V1_STRING_FIELDS; i < STRING_FIELDS; i++)
            {
                stringOffsets[i] = position;
                stringLengths[i] = 0;
            }
            return walkStrings(STRING_FIELDS, STRING_FIELDS + 2 * propertyCount(), position) <= offset + length;
        }
        return false;
    }

    /** Reads the lengths of string slots [first, end) from {@code position}; returns past the last, or MAX_VALUE when cut short. */
    private int walkStrings(final int first, final int end, final int start)
    {
        final int limit = offset + length;
        int position = start;
        for (int i = first; i < end; i++)
        {
            if (position + 2 > limit)
            {
                return Integer.MAX_VALUE;
            }
            final int stringLength = buffer.getShort(position) & 0xFFFF;
            stringOffsets[i] = position + 2;
            stringLengths[i] = stringLength;
            position += 2 + stringLength;
        }
        return position;
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

    /** The scroll depth of an engagement, 0 to 100; -1 when none was sent or the record is version 1. */
    public int scrollDepth()
    {
        final int depth = buffer.getByte(offset + SCROLL_DEPTH_OFFSET) & 0xFF;
        return version() == VERSION_1 || depth == NO_SCROLL_DEPTH ? -1 : depth;
    }

    /** One of the {@code EventRecord.DEVICE_} codes; {@code DEVICE_UNKNOWN} in a version 1 record. */
    public int deviceClass()
    {
        return version() == VERSION_1 ? DEVICE_UNKNOWN : buffer.getByte(offset + DEVICE_OFFSET) & 0xFF;
    }

    /** Whether the record knows the visitor's country ({@link #countryByte(int)} then reads it). */
    public boolean hasCountry()
    {
        return version() != VERSION_1 && buffer.getByte(offset + COUNTRY_OFFSET) != 0;
    }

    /** Byte {@code index} (0 or 1) of the ISO 3166-1 alpha-2 country code. */
    public byte countryByte(final int index)
    {
        return buffer.getByte(offset + COUNTRY_OFFSET + index);
    }

    /** The country code, or empty when unknown: for cold paths. */
    public String country()
    {
        return hasCountry() ? buffer.getStringWithoutLengthAscii(offset + COUNTRY_OFFSET, 2) : "";
    }

    /** Why the event is a robot's ({@code EventRecord.ROBOT_} codes); {@code ROBOT_NONE} for people and version 1. */
    public int robotReason()
    {
        return version() == VERSION_1 ? ROBOT_NONE : buffer.getByte(offset + ROBOT_OFFSET) & 0xFF;
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
