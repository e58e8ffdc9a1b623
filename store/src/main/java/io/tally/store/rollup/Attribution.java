package io.tally.store.rollup;

import org.HdrHistogram.Histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * Where a goal's conversions came from: by the visitor's first source and by the converting session's source
 * (in each of {@link Source#DIMENSIONS}), by the session's entry page, and how long after the visitor's first
 * event they happened (milliseconds, HdrHistogram at three significant digits).
 */
final class Attribution
{
    private final Counts[] firstTouch = newCounts();
    private final Counts[] lastTouch = newCounts();
    private Counts entryPages = new Counts();
    private Histogram timeToConversion = newHistogram();

    /** Attributes one conversion to its sources and entry page, and records how long it took. */
    void record(final Touches.SessionTouch session, final Touches.VisitorTouch visitor, final long convertedAt)
    {
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            firstTouch[d].add(visitor.source()[d], 1);
            lastTouch[d].add(session.source()[d], 1);
        }
        entryPages.add(session.entryPage(), 1);
        timeToConversion.recordValue(Math.max(0, convertedAt - visitor.firstSeen()));
    }

    void addAll(final Attribution other)
    {
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            firstTouch[d].addAll(other.firstTouch[d]);
            lastTouch[d].addAll(other.lastTouch[d]);
        }
        entryPages.addAll(other.entryPages);
        timeToConversion.add(other.timeToConversion);
    }

    /**
     * Conversions by source, highest first.
     *
     * @param dimension one of {@link Source#DIMENSIONS}.
     * @param first the visitor's first source, else the converting session's.
     * @return null for an unknown dimension.
     */
    Map<String, Long> bySource(final String dimension, final boolean first)
    {
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            if (Source.DIMENSIONS[d].equals(dimension))
            {
                return (first ? firstTouch : lastTouch)[d].sorted();
            }
        }
        return null;
    }

    Map<String, Long> byEntryPage()
    {
        return entryPages.sorted();
    }

    long timeToConversionMillis(final double percentile)
    {
        return timeToConversion.getTotalCount() == 0 ? 0 : timeToConversion.getValueAtPercentile(percentile);
    }

    void write(final DataOutput out) throws IOException
    {
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

    static Attribution read(final DataInput in) throws IOException
    {
        final Attribution attribution = new Attribution();
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            attribution.firstTouch[d] = Counts.read(in);
            attribution.lastTouch[d] = Counts.read(in);
        }
        attribution.entryPages = Counts.read(in);
        final byte[] histogram = new byte[in.readInt()];
        in.readFully(histogram);
        try
        {
            attribution.timeToConversion = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(histogram), 2);
        }
        catch (final DataFormatException ex)
        {
            throw new IOException("damaged time-to-conversion histogram", ex);
        }
        attribution.timeToConversion.setAutoResize(true);
        return attribution;
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
}
