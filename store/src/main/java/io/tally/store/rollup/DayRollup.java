package io.tally.store.rollup;

import io.tally.codec.EventRecordDecoder;
import org.agrona.collections.Long2LongHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One site's UTC day: its hours, and the dictionaries that give each visitor id and session id of the day a
 * dense ordinal, so the hours' bitmaps are small 32-bit Roaring bitmaps whose unions are fast and exact (a
 * dictionary, not a hash: two ids never share an ordinal). Visitor ids are made with a salt that changes
 * every UTC day, so no id is seen on two days and a range's distinct count is the sum of its days'.
 */
final class DayRollup
{
    private static final long MISSING = -1;

    private final Long2LongHashMap visitorOrdinals;
    private final Long2LongHashMap sessionOrdinals;
    final NavigableMap<Long, HourRollup> hours;

    DayRollup()
    {
        this(new Long2LongHashMap(MISSING), new Long2LongHashMap(MISSING), new TreeMap<>());
    }

    private DayRollup(final Long2LongHashMap visitorOrdinals, final Long2LongHashMap sessionOrdinals,
        final NavigableMap<Long, HourRollup> hours)
    {
        this.visitorOrdinals = visitorOrdinals;
        this.sessionOrdinals = sessionOrdinals;
        this.hours = hours;
    }

    void apply(final long hour, final EventRecordDecoder record, final Touches.SessionTouch session,
        final Touches.VisitorTouch visitor, final StringCache strings)
    {
        hours.computeIfAbsent(hour, h -> new HourRollup())
            .apply(record, ordinal(visitorOrdinals, record.visitorId()), ordinal(sessionOrdinals, record.sessionId()), session,
                visitor, strings);
    }

    private static int ordinal(final Long2LongHashMap ordinals, final long id)
    {
        final long existing = ordinals.get(id);
        if (existing != MISSING)
        {
            return (int)existing;
        }
        final int next = ordinals.size();
        ordinals.put(id, next);
        return next;
    }

    /** The union of this day's hours in {@code [fromHour, toHour)}. */
    HourRollup merge(final long fromHour, final long toHour)
    {
        final HourRollup merged = new HourRollup();
        hours.subMap(fromHour, true, toHour, false).values().forEach(merged::addAll);
        return merged;
    }

    void write(final DataOutput out) throws IOException
    {
        writeOrdinals(out, visitorOrdinals);
        writeOrdinals(out, sessionOrdinals);
        out.writeInt(hours.size());
        for (final Map.Entry<Long, HourRollup> hour : hours.entrySet())
        {
            out.writeLong(hour.getKey());
            hour.getValue().write(out);
        }
    }

    static DayRollup read(final DataInput in) throws IOException
    {
        final Long2LongHashMap visitors = readOrdinals(in);
        final Long2LongHashMap sessions = readOrdinals(in);
        final NavigableMap<Long, HourRollup> hours = new TreeMap<>();
        for (int h = in.readInt(); h > 0; h--)
        {
            hours.put(in.readLong(), HourRollup.read(in));
        }
        return new DayRollup(visitors, sessions, hours);
    }

    private static void writeOrdinals(final DataOutput out, final Long2LongHashMap ordinals) throws IOException
    {
        out.writeInt(ordinals.size());
        final Long2LongHashMap.EntryIterator entries = ordinals.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            out.writeLong(entries.getLongKey());
            out.writeInt((int)entries.getLongValue());
        }
    }

    private static Long2LongHashMap readOrdinals(final DataInput in) throws IOException
    {
        final int size = in.readInt();
        final Long2LongHashMap ordinals = new Long2LongHashMap(Math.max(8, size * 2), 0.65f, MISSING);
        for (int i = 0; i < size; i++)
        {
            ordinals.put(in.readLong(), in.readInt());
        }
        return ordinals;
    }
}
