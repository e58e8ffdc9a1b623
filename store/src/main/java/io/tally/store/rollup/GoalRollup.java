package io.tally.store.rollup;

import org.roaringbitmap.RoaringBitmap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * One goal in one hour: events it matched, conversions (matches that count: first for fire-once goals),
 * converting visitors (day ordinals), value and weight sums of the conversions, revenue of every matching
 * event, and the {@link Attribution} of the conversions.
 */
final class GoalRollup
{
    long matches;
    long conversions;
    long weight;
    final RoaringBitmap converters;
    final Map<String, BigDecimal> value;
    final Map<String, BigDecimal> revenue;
    final Attribution attribution;

    GoalRollup()
    {
        this(0, 0, 0, new RoaringBitmap(), new TreeMap<>(), new TreeMap<>(), new Attribution());
    }

    private GoalRollup(final long matches, final long conversions, final long weight, final RoaringBitmap converters,
        final Map<String, BigDecimal> value, final Map<String, BigDecimal> revenue, final Attribution attribution)
    {
        this.matches = matches;
        this.conversions = conversions;
        this.weight = weight;
        this.converters = converters;
        this.value = value;
        this.revenue = revenue;
        this.attribution = attribution;
    }

    void addAll(final GoalRollup other)
    {
        matches += other.matches;
        conversions += other.conversions;
        weight += other.weight;
        converters.or(other.converters);
        Bitmaps.addMoney(value, other.value);
        Bitmaps.addMoney(revenue, other.revenue);
        attribution.addAll(other.attribution);
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(matches);
        out.writeLong(conversions);
        out.writeLong(weight);
        Bitmaps.write(out, converters);
        Bitmaps.writeMoney(out, value);
        Bitmaps.writeMoney(out, revenue);
        attribution.write(out);
    }

    static GoalRollup read(final DataInput in) throws IOException
    {
        return new GoalRollup(in.readLong(), in.readLong(), in.readLong(), Bitmaps.read(in), Bitmaps.readMoney(in),
            Bitmaps.readMoney(in), Attribution.read(in));
    }
}
