package io.tally.store.rollup;

import org.roaringbitmap.longlong.Roaring64Bitmap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * One goal in one hour: events it matched, conversions (matches that count: first for fire-once goals),
 * converting visitors, value and weight sums of the conversions, revenue of every matching event.
 */
final class GoalRollup
{
    long matches;
    long conversions;
    long weight;
    final Roaring64Bitmap converters;
    final Map<String, BigDecimal> value;
    final Map<String, BigDecimal> revenue;

    GoalRollup()
    {
        this(0, 0, 0, new Roaring64Bitmap(), new TreeMap<>(), new TreeMap<>());
    }

    private GoalRollup(final long matches, final long conversions, final long weight, final Roaring64Bitmap converters,
        final Map<String, BigDecimal> value, final Map<String, BigDecimal> revenue)
    {
        this.matches = matches;
        this.conversions = conversions;
        this.weight = weight;
        this.converters = converters;
        this.value = value;
        this.revenue = revenue;
    }

    void addAll(final GoalRollup other)
    {
        matches += other.matches;
        conversions += other.conversions;
        weight += other.weight;
        converters.or(other.converters);
        Bitmaps.addMoney(value, other.value);
        Bitmaps.addMoney(revenue, other.revenue);
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(matches);
        out.writeLong(conversions);
        out.writeLong(weight);
        Bitmaps.write(out, converters);
        Bitmaps.writeMoney(out, value);
        Bitmaps.writeMoney(out, revenue);
    }

    static GoalRollup read(final DataInput in) throws IOException
    {
        return new GoalRollup(in.readLong(), in.readLong(), in.readLong(), Bitmaps.read(in), Bitmaps.readMoney(in),
            Bitmaps.readMoney(in));
    }
}
