package io.tally.store.rollup;

import org.roaringbitmap.RoaringBitmap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Events and distinct visitors (day ordinals, see {@link DayRollup}) of one thing (a property value, a name) in one hour. */
final class ValueRollup
{
    long events;
    final RoaringBitmap visitors;

    ValueRollup()
    {
        this(0, new RoaringBitmap());
    }

    private ValueRollup(final long events, final RoaringBitmap visitors)
    {
        this.events = events;
        this.visitors = visitors;
    }

    void add(final int visitor)
    {
        events++;
        visitors.add(visitor);
    }

    void addAll(final ValueRollup other)
    {
        events += other.events;
        visitors.or(other.visitors);
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(events);
        Bitmaps.write(out, visitors);
    }

    static ValueRollup read(final DataInput in) throws IOException
    {
        return new ValueRollup(in.readLong(), Bitmaps.read(in));
    }
}
