package io.tally.store.rollup;

import io.tally.codec.EventRecordDecoder;
import org.agrona.collections.Long2LongHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One site's UTC day: its hours, and the dictionaries that give each visitor id and session id of the day a
 * dense ordinal, so the hours' bitmaps are small 32-bit Roaring bitmaps whose unions are fast and exact (a
 * dictionary, not a hash: two ids never share an ordinal). Visitor ids are made with a salt that changes
 * every UTC day, so no id is seen on two days and a range's distinct count is the sum of its days'.
 */
final class DayRollup
{
    static final int HOURS = 24;
    private static final long MISSING = -1;

    private final long firstHour;
    private final Long2LongHashMap visitorOrdinals;
    private final Long2LongHashMap sessionOrdinals;
    /** The day's hours by their hour of the day; null until an event falls in one. */
    private final HourRollup[] hours;

    DayRollup(final long day)
    {
        this(day, new Long2LongHashMap(MISSING), new Long2LongHashMap(MISSING), new HourRollup[HOURS]);
    }

    private DayRollup(final long day, final Long2LongHashMap visitorOrdinals, final Long2LongHashMap sessionOrdinals,
        final HourRollup[] hours)
    {
        this.firstHour = day * HOURS;
        this.visitorOrdinals = visitorOrdinals;
        this.sessionOrdinals = sessionOrdinals;
        this.hours = hours;
    }

    /** Counts a record of hour {@code hour} (hours since the epoch), which is one of this day's. */
    void apply(final long hour, final EventRecordDecoder record, final Touches.SessionTouch session,
        final Touches.VisitorTouch visitor, final StringCache strings)
    {
        final int index = (int)(hour - firstHour);
        HourRollup rollup = hours[index];
        if (rollup == null)
        {
            rollup = new HourRollup();
            hours[index] = rollup;
        }
        rollup.apply(record, ordinal(visitorOrdinals, record.visitorId()), ordinal(sessionOrdinals, record.sessionId()), session,
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
        final int from = (int)Math.max(0, fromHour - firstHour);
        final int to = (int)Math.min(HOURS, toHour - firstHour);
        for (int index = from; index < to; index++)
        {
            if (hours[index] != null)
            {
                merged.addAll(hours[index]);
            }
        }
        return merged;
    }

    void write(final DataOutput out) throws IOException
    {
        writeOrdinals(out, visitorOrdinals);
        writeOrdinals(out, sessionOrdinals);
        int count = 0;
        for (final HourRollup hour : hours)
        {
            count += hour == null ? 0 : 1;
        }
        out.writeInt(count);
        for (int index = 0; index < HOURS; index++)
        {
            if (hours[index] != null)
            {
                out.writeLong(firstHour + index);
                hours[index].write(out);
            }
        }
    }

    static DayRollup read(final long day, final DataInput in) throws IOException
    {
        final Long2LongHashMap visitors = readOrdinals(in);
        final Long2LongHashMap sessions = readOrdinals(in);
        final HourRollup[] hours = new HourRollup[HOURS];
        for (int h = in.readInt(); h > 0; h--)
        {
            final long hour = in.readLong();
            if (Math.floorDiv(hour, HOURS) != day)
            {
                throw new IOException("hour " + hour + " is not one of day " + day + "'s");
            }
            hours[(int)(hour - day * HOURS)] = HourRollup.read(in);
        }
        return new DayRollup(day, visitors, sessions, hours);
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
