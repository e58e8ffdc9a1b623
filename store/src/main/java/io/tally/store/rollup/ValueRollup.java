package io.tally.store.rollup;

import org.roaringbitmap.longlong.Roaring64Bitmap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Events and distinct visitors of one thing (a property value, an event name) in one hour. */
final class ValueRollup
{
    long events;
    final Roaring64Bitmap visitors;

    ValueRollup()
    {
        this(0, new Roaring64Bitmap());
    }

    private ValueRollup(final long events, final Roaring64Bitmap visitors)
    {
        this.events = events;
        this.visitors = visitors;
    }

    void add(final long visitor)
    {
        events++;
        visitors.addLong(visitor);
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
