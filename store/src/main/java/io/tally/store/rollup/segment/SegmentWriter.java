package io.tally.store.rollup.segment;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.Cells;
import io.tally.store.rollup.day.DayCube;
import io.tally.store.rollup.day.Dictionary;
import io.tally.store.rollup.day.Ordinals;
import io.tally.store.rollup.day.SessionRows;
import io.tally.store.rollup.day.VisitFigures;
import io.tally.store.state.AtomicFiles;
import org.HdrHistogram.Histogram;
import org.roaringbitmap.RoaringBitmap;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Seals a day (or a delta of one) into a segment file ({@link SegmentLayout}): the day's hour cells plus a
 * whole-day cell for each key (hours united: bitmaps or-ed, counts and sums added), sorted, column by column,
 * written to a temporary file, forced to disk and renamed into place. A cold path: it may allocate freely.
 */
public final class SegmentWriter
{
    private SegmentWriter()
    {
    }

    /** Writes the segment; returns its length in bytes. */
    public static long write(final DayCube day, final boolean delta, final Path file)
    {
        final Cells cells = withWholeDay(day, delta);
        internBigMoney(cells, day.strings());
        final Integer[] order = sorted(cells);
        final List<byte[]> blobs = new ArrayList<>();
        final long[][] blobRefs = blobs(cells, order, blobs);
        AtomicFiles.write(file, stream ->
        {
            final LittleEndianOutput out = new LittleEndianOutput(stream);
            final long[] sections = new long[SegmentLayout.SECTIONS];
            final long[] blobOffsets = new long[blobs.size()];
            final long length = layout(day, cells.count(), blobs, sections, blobOffsets);
            header(out, day, delta, cells.count(), length, sections);
            strings(out, day.strings());
            ids(out, day.visitors());
            ids(out, day.sessions());
            touches(out, day);
            sessionRows(out, day.sessionRows());
            columns(out, cells, order, blobRefs, blobOffsets, day.strings());
            for (final byte[] blob : blobs)
            {
                out.writeInt(blob.length);
                out.write(blob, 0, blob.length);
                out.align();
            }
            final long checksum = out.checksum();
            out.writeLong(checksum);
            out.writeLong(SegmentLayout.MAGIC);
            out.flush();
            stream.flush();
        });
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /**
     * The hour cells (their marker cells left out) and, for each key, a whole-day cell of its hours; a day (not a
     * delta: a day with deltas is read from its session rows) also gets its visit figures, made from its sessions.
     */
    private static Cells withWholeDay(final DayCube day, final boolean delta)
    {
        final Cells hours = day.cells();
        final Cells all = new Cells();
        for (int cell = 0; cell < hours.count(); cell++)
        {
            final CellKind kind = hours.kind(cell);
            if (kind == CellKind.PROPERTY_KEY)
            {
                continue;
            }
            add(all, all.cell(kind, hours.hour(cell), hours.key1(cell), hours.key2(cell), hours.key3(cell)), day, cell);
            add(all, all.cell(kind, CellKind.DAY, hours.key1(cell), hours.key2(cell), hours.key3(cell)), day, cell);
        }
        if (!delta)
        {
            VisitFigures.addTo(all, day.sessionRows(), true);
        }
        return all;
    }

    /** Adds cell {@code from} of {@code source} into cell {@code into} of {@code target}. */
    public static void add(final Cells target, final int into, final io.tally.store.rollup.day.DayFigures source, final int from)
    {
        target.add0(into, source.count0(from));
        target.add1(into, source.count1(from));
        target.add2(into, source.count2(from));
        final BigDecimal money = source.money(from);
        if (money != null)
        {
            target.addMoney(into, money);
        }
        if (source.bitmap0(from) != null)
        {
            target.orBitmap0(into, source.bitmap0(from));
        }
        if (source.bitmap1(from) != null)
        {
            target.orBitmap1(into, source.bitmap1(from));
        }
        if (source.histogram(from) != null)
        {
            target.addHistogram(into, source.histogram(from));
        }
    }

    private static Integer[] sorted(final Cells cells)
    {
        final Integer[] order = new Integer[cells.count()];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(cells::kindHour).thenComparingInt(cells::key1)
            .thenComparingInt(cells::key2).thenComparingInt(cells::key3));
        return order;
    }

    /** Serializes each cell's bitmaps and histogram; returns per cell (in order) the blob offsets, -1 for none. */
    private static long[][] blobs(final Cells cells, final Integer[] order, final List<byte[]> blobs)
    {
        final long[][] refs = new long[3][order.length];
        for (int i = 0; i < order.length; i++)
        {
            refs[0][i] = blob(bitmap(cells.bitmap0(order[i])), blobs);
            refs[1][i] = blob(bitmap(cells.bitmap1(order[i])), blobs);
            refs[2][i] = blob(histogram(cells.histogram(order[i])), blobs);
        }
        return refs;
    }

    /** A blob's index for now; {@link #layout} turns indexes into offsets. */
    private static long blob(final byte[] bytes, final List<byte[]> blobs)
    {
        if (bytes == null)
        {
            return -1;
        }
        blobs.add(bytes);
        return blobs.size() - 1;
    }

    private static byte[] bitmap(final RoaringBitmap bitmap)
    {
        if (bitmap == null)
        {
            return null;
        }
        bitmap.runOptimize();
        final ByteBuffer bytes = ByteBuffer.allocate(bitmap.serializedSizeInBytes());
        bitmap.serialize(bytes);
        return bytes.array();
    }

    private static byte[] histogram(final Histogram histogram)
    {
        if (histogram == null)
        {
            return null;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(bytes);
        return Arrays.copyOf(bytes.array(), length);
    }

    /** Computes every section's offset; returns the file's length. */
    private static long layout(final DayCube day, final int cells, final List<byte[]> blobs, final long[] sections,
        final long[] blobOffsets)
    {
        long position = SegmentLayout.HEADER;
        final Dictionary strings = day.strings();
        sections[SegmentLayout.STRING_OFFSETS] = position;
        position = SegmentLayout.align(position + 4L * (strings.size() + 1));
        sections[SegmentLayout.STRING_BYTES] = position;
        position = SegmentLayout.align(position + (strings.size() == 0 ? 0 : strings.offset(strings.size() - 1) +
            strings.length(strings.size() - 1)));
        position = idSections(position, day.visitors().added(), sections, SegmentLayout.VISITOR_IDS);
        position = idSections(position, day.sessions().added(), sections, SegmentLayout.SESSION_IDS);
        final int visitors = day.visitors().added();
        final int sessions = day.sessions().added();
        sections[SegmentLayout.VISITOR_FIRST_SEEN] = position;
        position += 8L * visitors;
        sections[SegmentLayout.VISITOR_SOURCES] = position;
        position = SegmentLayout.align(position + 4L * SegmentLayout.DIMENSIONS * visitors);
        sections[SegmentLayout.SESSION_ENTRY] = position;
        position = SegmentLayout.align(position + 4L * sessions);
        sections[SegmentLayout.SESSION_SOURCES] = position;
        position = SegmentLayout.align(position + 4L * SegmentLayout.DIMENSIONS * sessions);
        sections[SegmentLayout.SESSION_ROWS] = position;
        final long[] rowColumns = SegmentLayout.rowColumns(position, day.sessionRows().rows());
        position = rowColumns[rowColumns.length - 1];
        sections[SegmentLayout.CELL_COLUMNS] = position;
        position += SegmentLayout.columnOffset(SegmentLayout.COLUMN_WIDTHS.length, cells);
        sections[SegmentLayout.BLOBS] = position;
        for (int i = 0; i < blobOffsets.length; i++)
        {
            blobOffsets[i] = position;
            position = SegmentLayout.align(position + 4 + blobs.get(i).length);
        }
        return position + SegmentLayout.TRAILER;
    }

    private static long idSections(final long start, final int count, final long[] sections, final int first)
    {
        long position = start;
        sections[first] = position;
        position += 8L * count;
        sections[first + 1] = position;
        position += 8L * count;
        sections[first + 2] = position;
        return SegmentLayout.align(position + 4L * count);
    }

    private static void header(final LittleEndianOutput out, final DayCube day, final boolean delta, final int cells,
        final long length, final long[] sections) throws IOException
    {
        out.writeLong(SegmentLayout.MAGIC);
        out.writeInt(SegmentLayout.VERSION);
        out.writeInt(delta ? SegmentLayout.KIND_DELTA : SegmentLayout.KIND_DAY);
        out.writeLong(day.day());
        out.writeLong(day.records());
        out.writeInt(cells);
        out.writeInt(day.strings().size());
        out.writeInt(day.visitors().first());
        out.writeInt(day.visitors().added());
        out.writeInt(day.sessions().first());
        out.writeInt(day.sessions().added());
        out.writeLong(length);
        for (final long section : sections)
        {
            out.writeLong(section);
        }
        while (out.position() < SegmentLayout.HEADER)
        {
            out.writeLong(0);
        }
    }

    private static void strings(final LittleEndianOutput out, final Dictionary strings) throws IOException
    {
        int offset = 0;
        for (int id = 0; id < strings.size(); id++)
        {
            out.writeInt(offset);
            offset += strings.length(id);
        }
        out.writeInt(offset);
        out.align();
        final byte[] bytes = new byte[offset];
        strings.arena().getBytes(0, bytes, 0, offset);
        out.write(bytes, 0, offset);
        out.align();
    }

    /** Ids by ordinal, then sorted with their ordinals, for lookups by id. */
    private static void ids(final LittleEndianOutput out, final Ordinals ordinals) throws IOException
    {
        final int count = ordinals.added();
        final long[] sorted = new long[count];
        final int[] sortedOrdinals = new int[count];
        for (int n = 0; n < count; n++)
        {
            out.writeLong(ordinals.addedId(n));
            sorted[n] = ordinals.addedId(n);
            sortedOrdinals[n] = ordinals.first() + n;
        }
        IdSort.sort(sorted, sortedOrdinals);
        for (final long id : sorted)
        {
            out.writeLong(id);
        }
        for (final int ordinal : sortedOrdinals)
        {
            out.writeInt(ordinal);
        }
        out.align();
    }

    /** The day's own visitors' and sessions' touches, by ordinal. */
    private static void touches(final LittleEndianOutput out, final DayCube day) throws IOException
    {
        final int visitors = day.visitors().added();
        for (int n = 0; n < visitors; n++)
        {
            out.writeLong(day.firstSeen(n));
        }
        for (int n = 0; n < visitors; n++)
        {
            for (int d = 0; d < SegmentLayout.DIMENSIONS; d++)
            {
                out.writeInt(day.visitorSource(n, d));
            }
        }
        out.align();
        final int sessions = day.sessions().added();
        for (int n = 0; n < sessions; n++)
        {
            out.writeInt(day.entryPage(n));
        }
        out.align();
        for (int n = 0; n < sessions; n++)
        {
            for (int d = 0; d < SegmentLayout.DIMENSIONS; d++)
            {
                out.writeInt(day.sessionSource(n, d));
            }
        }
        out.align();
    }

    /** The session rows, column by column ({@link SegmentLayout#rowColumns}). */
    private static void sessionRows(final LittleEndianOutput out, final SessionRows rows) throws IOException
    {
        final int count = rows.rows();
        out.writeInt(count);
        out.align();
        for (int row = 0; row < count; row++)
        {
            out.writeInt(rows.ordinal(row));
        }
        out.align();
        for (int row = 0; row < count; row++)
        {
            out.writeLong(rows.first(row));
        }
        for (int row = 0; row < count; row++)
        {
            out.writeLong(rows.last(row));
        }
        for (int row = 0; row < count; row++)
        {
            out.writeInt(rows.exitPage(row));
        }
        out.align();
        for (int row = 0; row < count; row++)
        {
            out.writeInt(rows.pageviews(row));
        }
        out.align();
        for (int row = 0; row < count; row++)
        {
            out.writeInt(rows.events(row));
        }
        out.align();
        for (int row = 0; row < count; row++)
        {
            out.writeInt(rows.visitor(row));
        }
        out.align();
        for (int d = 0; d < SessionRows.SOURCES; d++)
        {
            for (int row = 0; row < count; row++)
            {
                out.writeInt(rows.source(row, d));
            }
            out.align();
        }
    }

    private static void columns(final LittleEndianOutput out, final Cells cells, final Integer[] order, final long[][] blobRefs,
        final long[] blobOffsets, final Dictionary strings) throws IOException
    {
        for (final Integer cell : order)
        {
            out.writeInt(cells.kindHour(cell));
        }
        out.align();
        for (final Integer cell : order)
        {
            out.writeInt(cells.key1(cell));
        }
        out.align();
        for (final Integer cell : order)
        {
            out.writeInt(cells.key2(cell));
        }
        out.align();
        for (final Integer cell : order)
        {
            out.writeInt(cells.key3(cell));
        }
        out.align();
        for (final Integer cell : order)
        {
            out.writeLong(cells.count0(cell));
        }
        for (final Integer cell : order)
        {
            out.writeLong(cells.count1(cell));
        }
        for (final Integer cell : order)
        {
            out.writeLong(cells.count2(cell));
        }
        money(out, cells, order, strings);
        for (final Integer cell : order)
        {
            out.writeLong(cells.bitmap0(cell) == null ? 0 : cells.bitmap0(cell).getLongCardinality());
        }
        for (final Integer cell : order)
        {
            out.writeLong(cells.bitmap1(cell) == null ? 0 : cells.bitmap1(cell).getLongCardinality());
        }
        for (final long[] refs : blobRefs)
        {
            for (final long ref : refs)
            {
                out.writeLong(ref < 0 ? -1 : blobOffsets[(int)ref]);
            }
        }
    }

    /**
     * Unscaled sums and their scales. A sum too large for a long is written as decimal text in the dictionary; the
     * dictionary was written already, so such texts are interned first (see {@link #internBigMoney}).
     */
    private static void money(final LittleEndianOutput out, final Cells cells, final Integer[] order, final Dictionary strings)
        throws IOException
    {
        final int[] scales = new int[order.length];
        for (int i = 0; i < order.length; i++)
        {
            final BigDecimal money = cells.money(order[i]);
            long unscaled = 0;
            int scale = Cells.NO_MONEY;
            if (money != null)
            {
                if (money.unscaledValue().bitLength() < Long.SIZE)
                {
                    unscaled = money.unscaledValue().longValue();
                    scale = money.scale();
                }
                else
                {
                    unscaled = strings.find(money.toPlainString());
                    scale = SegmentLayout.BIG_MONEY;
                }
            }
            out.writeLong(unscaled);
            scales[i] = scale;
        }
        for (final int scale : scales)
        {
            out.writeInt(scale);
        }
        out.align();
    }

    /**
     * Interns the decimal text of every sum too large for a long, whole-day sums included (hours that fit a long can
     * add up to a day that does not): call before the dictionary is written.
     */
    static void internBigMoney(final Cells cells, final Dictionary strings)
    {
        for (int cell = 0; cell < cells.count(); cell++)
        {
            final BigDecimal money = cells.money(cell);
            if (money != null && money.unscaledValue().bitLength() >= Long.SIZE)
            {
                strings.id(money.toPlainString());
            }
        }
    }

}
