package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.tally.codec.EventRecord.*;

/**
 * Encodes a decoded {@link Beacon} and its {@link Enrichment} into the {@link EventRecord} layout, in a
 * direct buffer it owns. Fixed fields go through an Agrona {@link UnsafeBuffer}; strings are bulk-copied
 * from wherever their views point (the body, even a composite one) through a Netty view of the same memory.
 * Not thread-safe: one per thread.
 */
public final class EventRecordEncoder
{
    private final ByteBuffer memory;
    private final UnsafeBuffer buffer;
    private final ByteBuf bytes;
    private int position;

    /** @param capacity the largest record that can be encoded; see {@link #capacityFor(int)}. */
    public EventRecordEncoder(final int capacity)
    {
        memory = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        buffer = new UnsafeBuffer(memory);
        bytes = Unpooled.wrappedBuffer(memory);
    }

    /** A capacity that holds any record made from a body of at most {@code maxBodyBytes}. */
    public static int capacityFor(final int maxBodyBytes)
    {
        return MAX_OVERHEAD + 1024 + maxBodyBytes;
    }

    public ByteBuffer memory()
    {
        return memory;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Encodes at offset 0.
     *
     * @return the record's length, or -1 when it does not fit the capacity.
     */
    public int encode(final Beacon beacon, final Enrichment enrichment)
    {
        final int propertyCount = beacon.propertyCount();
        if (encodedLength(beacon, enrichment, propertyCount) > buffer.capacity())
        {
            return -1;
        }
        writeHeader(beacon, enrichment, propertyCount);
        position = STRINGS_OFFSET;
        putBytes(enrichment.site);
        for (final BeaconField field : BeaconField.RECORDED)
        {
            putText(beacon.texts[field.ordinal()]);
        }
        putText(enrichment.asin);
        putBytes(enrichment.goalName);
        putText(enrichment.idempotencyKey);
        putBytes(enrichment.browser);
        putBytes(enrichment.browserVersion);
        putBytes(enrichment.os);
        putBytes(enrichment.osVersion);
        for (int i = 0; i < propertyCount; i++)
        {
            putText(beacon.propKeys[i]);
            putText(beacon.propValues[i]);
        }
        return position;
    }

    private void writeHeader(final Beacon beacon, final Enrichment enrichment, final int propertyCount)
    {
        final UnsafeBuffer buffer = this.buffer;
        int flags = 0;
        buffer.putByte(VERSION_OFFSET, VERSION);
        buffer.putByte(TYPE_OFFSET, beacon.type.code());
        buffer.putShort(DROPPED_OFFSET, (short)Math.min(beacon.droppedPropertyCount(), 0xFFFF));
        buffer.putShort(DROPPED_OFFSET + 2, (short)0);
        buffer.putLong(RECEIVED_AT_OFFSET, enrichment.receivedAtMillis);
        buffer.putLong(EVENT_TIME_OFFSET, enrichment.eventTimeMillis != 0 ? enrichment.eventTimeMillis : enrichment.receivedAtMillis);
        buffer.putLong(VISITOR_OFFSET, enrichment.visitorId);
        buffer.putLong(SESSION_OFFSET, enrichment.sessionId);
        if (beacon.hasRevenue)
        {
            flags |= FLAG_REVENUE;
        }
        buffer.putLong(REVENUE_OFFSET, beacon.hasRevenue ? beacon.revenueUnscaled : 0);
        buffer.putByte(REVENUE_SCALE_OFFSET, (byte)(beacon.hasRevenue ? beacon.revenueScale : 0));
        buffer.putBytes(CURRENCY_OFFSET, beacon.currency, 0, 3);
        if (!beacon.hasRevenue)
        {
            buffer.setMemory(CURRENCY_OFFSET, 3, (byte)0);
        }
        flags |= writeValue(beacon, enrichment);
        if (beacon.hasSeconds)
        {
            flags |= FLAG_SECONDS;
        }
        buffer.putLong(SECONDS_OFFSET, beacon.hasSeconds ? beacon.secondsUnscaled : 0);
        buffer.putByte(SECONDS_SCALE_OFFSET, (byte)(beacon.hasSeconds ? beacon.secondsScale : 0));
        if (enrichment.goalName != null)
        {
            flags |= FLAG_GOAL;
        }
        if (enrichment.firstConversion)
        {
            flags |= FLAG_FIRST_CONVERSION;
        }
        if (enrichment.conversion)
        {
            flags |= FLAG_CONVERSION;
        }
        if (enrichment.sessionConverted)
        {
            flags |= FLAG_SESSION_CONVERTED;
        }
        buffer.putBytes(VALUE_CURRENCY_OFFSET, enrichment.goalValueCurrency, 0, 3);
        writeAudience(beacon, enrichment);
        buffer.putByte(GOAL_WEIGHT_OFFSET, (byte)enrichment.goalWeight);
        buffer.putByte(PROPERTY_COUNT_OFFSET, (byte)propertyCount);
        buffer.putShort(FLAGS_OFFSET, (short)flags);
    }

    private void writeAudience(final Beacon beacon, final Enrichment enrichment)
    {
        buffer.putByte(SCROLL_DEPTH_OFFSET, (byte)(beacon.scrollDepth == Beacon.NO_SCROLL_DEPTH ? NO_SCROLL_DEPTH : beacon.scrollDepth));
        buffer.putByte(DEVICE_OFFSET, (byte)enrichment.deviceClass);
        buffer.putByte(COUNTRY_OFFSET, enrichment.country0);
        buffer.putByte(COUNTRY_OFFSET + 1, enrichment.country1);
        buffer.putByte(ROBOT_OFFSET, (byte)enrichment.robotReason);
    }

    /** The goal value: the matched goal's, else the beacon's {@code v}, else the URL's {@code value=}. */
    private int writeValue(final Beacon beacon, final Enrichment enrichment)
    {
        final long unscaled;
        final int scale;
        if (enrichment.hasGoalValue)
        {
            unscaled = enrichment.goalValueUnscaled;
            scale = enrichment.goalValueScale;
        }
        else if (beacon.hasValue)
        {
            unscaled = beacon.valueUnscaled;
            scale = beacon.valueScale;
        }
        else if (enrichment.hasUrlValue)
        {
            unscaled = enrichment.urlValue.unscaled();
            scale = enrichment.urlValue.scale();
        }
        else
        {
            buffer.putLong(VALUE_OFFSET, 0);
            buffer.putByte(VALUE_SCALE_OFFSET, (byte)0);
            return 0;
        }
        buffer.putLong(VALUE_OFFSET, unscaled);
        buffer.putByte(VALUE_SCALE_OFFSET, (byte)scale);
        return FLAG_VALUE;
    }

    private int encodedLength(final Beacon beacon, final Enrichment enrichment, final int propertyCount)
    {
        int length = STRINGS_OFFSET + 2 * (STRING_FIELDS + 2 * propertyCount);
        length += lengthOf(enrichment.site) + lengthOf(enrichment.goalName) + enrichment.asin.length();
        length += enrichment.idempotencyKey.isPresent() ? enrichment.idempotencyKey.length() : 0;
        length += lengthOf(enrichment.browser) + lengthOf(enrichment.browserVersion) + lengthOf(enrichment.os) +
            lengthOf(enrichment.osVersion);
        for (final BeaconField field : BeaconField.RECORDED)
        {
            length += beacon.texts[field.ordinal()].length();
        }
        for (int i = 0; i < propertyCount; i++)
        {
            length += beacon.propKeys[i].length() + beacon.propValues[i].length();
        }
        return length;
    }

    private static int lengthOf(final byte[] bytes)
    {
        return bytes == null ? 0 : bytes.length;
    }

    private void putText(final TextView text)
    {
        final int length = text.isPresent() ? text.length() : 0;
        buffer.putShort(position, (short)length);
        if (length > 0)
        {
            text.copyTo(bytes, position + 2);
        }
        position += 2 + length;
    }

    private void putBytes(final byte[] value)
    {
        final int length = lengthOf(value);
        buffer.putShort(position, (short)length);
        if (length > 0)
        {
            buffer.putBytes(position + 2, value);
        }
        position += 2 + length;
    }
}
