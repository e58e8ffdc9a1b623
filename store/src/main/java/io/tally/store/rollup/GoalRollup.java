package io.tally.store.rollup;

import org.HdrHistogram.Histogram;
import org.roaringbitmap.RoaringBitmap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;

/**
 * One goal in one hour: events it matched, conversions (matches that count: first for fire-once goals),
 * converting visitors, value and weight sums of the conversions, revenue of every matching event, and the
 * conversions by first-touch and last-touch source, by entry page, and their time to conversion.
 */
final class GoalRollup
{
    long matches;
    long conversions;
    long weight;
    final RoaringBitmap converters;
    final Map<String, BigDecimal> value;
    final Map<String, BigDecimal> revenue;
    /** Conversions by the visitor's first source, one {@link Counts} per {@link Source#DIMENSIONS} entry. */
    final Counts[] firstTouch;
    /** Conversions by the converting session's source. */
    final Counts[] lastTouch;
    final Counts entryPages;
    /** Milliseconds from the visitor's first event to the conversion. */
    final Histogram timeToConversion;

    GoalRollup()
    {
        this(0, 0, 0, new RoaringBitmap(), new TreeMap<>(), new TreeMap<>(), newCounts(), newCounts(), new Counts(),
            newHistogram());
    }

    private GoalRollup(final long matches, final long conversions, final long weight, final RoaringBitmap converters,
        final Map<String, BigDecimal> value, final Map<String, BigDecimal> revenue, final Counts[] firstTouch,
        final Counts[] lastTouch, final Counts entryPages, final Histogram timeToConversion)
    {
        this.matches = matches;
        this.conversions = conversions;
        this.weight = weight;
        this.converters = converters;
        this.value = value;
        this.revenue = revenue;
        this.firstTouch = firstTouch;
        this.lastTouch = lastTouch;
        this.entryPages = entryPages;
        this.timeToConversion = timeToConversion;
    }

    /** Attributes one conversion to its sources and entry page, and records how long it took. */
    void attribute(final Touches.SessionTouch session, final Touches.VisitorTouch visitor, final long convertedAt)
    {
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            firstTouch[d].add(visitor.source()[d], 1);
            lastTouch[d].add(session.source()[d], 1);
        }
        entryPages.add(session.entryPage(), 1);
        timeToConversion.recordValue(Math.max(0, convertedAt - visitor.firstSeen()));
    }

    private static Counts[] newCounts()
    {
        final Counts[] counts = new Counts[Source.DIMENSIONS.length];
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = new Counts();
        }
        return counts;
    }

    private static Histogram newHistogram()
    {
        final Histogram histogram = new Histogram(3);
        histogram.setAutoResize(true);
        return histogram;
    }

    void addAll(final GoalRollup other)
    {
        matches += other.matches;
        conversions += other.conversions;
        weight += other.weight;
        converters.or(other.converters);
        Bitmaps.addMoney(value, other.value);
        Bitmaps.addMoney(revenue, other.revenue);
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            firstTouch[d].addAll(other.firstTouch[d]);
            lastTouch[d].addAll(other.lastTouch[d]);
        }
        entryPages.addAll(other.entryPages);
        timeToConversion.add(other.timeToConversion);
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(matches);
        out.writeLong(conversions);
        out.writeLong(weight);
        Bitmaps.write(out, converters);
        Bitmaps.writeMoney(out, value);
        Bitmaps.writeMoney(out, revenue);
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            firstTouch[d].write(out);
            lastTouch[d].write(out);
        }
        entryPages.write(out);
        final ByteBuffer histogram = ByteBuffer.allocate(timeToConversion.getNeededByteBufferCapacity());
        final int length = timeToConversion.encodeIntoCompressedByteBuffer(histogram);
        out.writeInt(length);
        out.write(histogram.array(), 0, length);
    }

    static GoalRollup read(final DataInput in) throws IOException
    {
        final long matches = in.readLong();
        final long conversions = in.readLong();
        final long weight = in.readLong();
        final RoaringBitmap converters = Bitmaps.read(in);
        final Map<String, BigDecimal> value = Bitmaps.readMoney(in);
        final Map<String, BigDecimal> revenue = Bitmaps.readMoney(in);
        final Counts[] firstTouch = new Counts[Source.DIMENSIONS.length];
        final Counts[] lastTouch = new Counts[Source.DIMENSIONS.length];
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            firstTouch[d] = Counts.read(in);
            lastTouch[d] = Counts.read(in);
        }
        final Counts entryPages = Counts.read(in);
        final byte[] histogram = new byte[in.readInt()];
        in.readFully(histogram);
        final Histogram timeToConversion;
        try
        {
            timeToConversion = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(histogram), 2);
        }
        catch (final DataFormatException ex)
        {
            throw new IOException("damaged time-to-conversion histogram", ex);
        }
        timeToConversion.setAutoResize(true);
        return new GoalRollup(matches, conversions, weight, converters, value, revenue, firstTouch, lastTouch, entryPages,
            timeToConversion);
    }
}
