package io.tally.store.rollup.segment;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.DayFigures;
import io.tally.store.rollup.day.Ordinals;
import io.tally.store.rollup.day.SessionRows;
import org.HdrHistogram.Histogram;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;

/**
 * A sealed day segment ({@link SegmentLayout}), read in place from a read-only mapping: immutable, so any number
 * of queries read it without a lock, and nothing is copied to the heap but what a query asks for (a bitmap is an
 * {@link ImmutableRoaringBitmap} over the mapping). Opening checks the header and the length; {@link #verify()}
 * checks the whole file's checksum.
 */
public final class Segment implements Ordinals.Known, DayFigures
{
    private final Path file;
    private final ByteBuffer map;
    private final long day;
    private final boolean delta;
    private final long records;
    private final int cells;
    private final int strings;
    private final int firstVisitor;
    private final int visitors;
    private final int firstSession;
    private final int sessions;
    private final long[] sections = new long[SegmentLayout.SECTIONS];
    private final long[] columns = new long[SegmentLayout.COLUMN_WIDTHS.length];
    private final Ids visitorIds;
    private final Ids sessionIds;
    private final SessionRows rows;

    private Segment(final Path file, final ByteBuffer map) throws IOException
    {
        this.file = file;
        this.map = map;
        if (map.capacity() < SegmentLayout.HEADER + SegmentLayout.TRAILER || map.getLong(0) != SegmentLayout.MAGIC)
        {
            throw new IOException("not a segment");
        }
        final int version = map.getInt(SegmentLayout.VERSION_OFFSET);
        if (version < 1 || version > SegmentLayout.VERSION) // 2 and 3 share a layout: 3 added the COUNTRY cells
        {
            throw new IOException("layout version " + map.getInt(SegmentLayout.VERSION_OFFSET) + ", not " + SegmentLayout.VERSION);
        }
        if (map.getLong(SegmentLayout.LENGTH_OFFSET) != map.capacity() ||
            map.getLong(map.capacity() - 8) != SegmentLayout.MAGIC)
        {
            throw new IOException("cut short: " + map.capacity() + " bytes of " + map.getLong(SegmentLayout.LENGTH_OFFSET));
        }
        this.delta = map.getInt(SegmentLayout.KIND_OFFSET) == SegmentLayout.KIND_DELTA;
        this.day = map.getLong(SegmentLayout.DAY_OFFSET);
        this.records = map.getLong(SegmentLayout.RECORDS_OFFSET);
        this.cells = map.getInt(SegmentLayout.CELLS_OFFSET);
        this.strings = map.getInt(SegmentLayout.STRINGS_OFFSET);
        this.firstVisitor = map.getInt(SegmentLayout.FIRST_VISITOR_OFFSET);
        this.visitors = map.getInt(SegmentLayout.VISITORS_OFFSET);
        this.firstSession = map.getInt(SegmentLayout.FIRST_SESSION_OFFSET);
        this.sessions = map.getInt(SegmentLayout.SESSIONS_OFFSET);
        final int sectionCount = version == 1 ? SegmentLayout.SECTIONS_V1 : SegmentLayout.SECTIONS;
        for (int s = 0; s < sectionCount; s++)
        {
            sections[s] = map.getLong(SegmentLayout.SECTIONS_OFFSET + 8 * s);
            if (sections[s] < (version == 1 ? SegmentLayout.HEADER_V1 : SegmentLayout.HEADER) || sections[s] > map.capacity())
            {
                throw new IOException("section " + s + " out of the file");
            }
        }
        this.rows = version == 1 ? SessionRows.NONE : new Rows(sections[SegmentLayout.SESSION_ROWS]);
        for (int c = 0; c < columns.length; c++)
        {
            columns[c] = sections[SegmentLayout.CELL_COLUMNS] + SegmentLayout.columnOffset(c, cells);
        }
        if (columns[columns.length - 1] + 8L * cells > sections[SegmentLayout.BLOBS])
        {
            throw new IOException("cell columns overrun the blobs");
        }
        this.visitorIds = new Ids(SegmentLayout.VISITOR_IDS, firstVisitor, visitors);
        this.sessionIds = new Ids(SegmentLayout.SESSION_IDS, firstSession, sessions);
    }

    /** Maps a segment file and checks its header. */
    public static Segment open(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() > Integer.MAX_VALUE)
            {
                throw new IOException("larger than 2 GiB, the most a segment may be: " + channel.size() + " bytes");
            }
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return new Segment(file, map.order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    /** Checks the whole file against its checksum (it reads every byte: a background or repair job's work). */
    public void verify() throws IOException
    {
        final int end = map.capacity() - SegmentLayout.TRAILER;
        final CRC32C crc = new CRC32C();
        crc.update(map.duplicate().position(0).limit(end));
        if (crc.getValue() != map.getLong(end))
        {
            throw new IOException("its checksum does not match its contents");
        }
    }

    public Path file()
    {
        return file;
    }

    @Override
    public long day()
    {
        return day;
    }

    @Override
    public boolean hasWholeDayCells()
    {
        return true;
    }

    @Override
    public void cells(final CellKind kind, final int fromHour, final int toHour, final java.util.function.IntConsumer visitor)
    {
        final int end = CellKind.kindHour(kind, toHour);
        for (int cell = firstCell(CellKind.kindHour(kind, fromHour)); cell < cells && kindHour(cell) < end; cell++)
        {
            visitor.accept(cell);
        }
    }

    public boolean isDelta()
    {
        return delta;
    }

    public long records()
    {
        return records;
    }

    public long bytes()
    {
        return map.capacity();
    }

    public int cellCount()
    {
        return cells;
    }

    /** How many texts the dictionary has. */
    public int strings()
    {
        return strings;
    }

    @Override
    public String string(final int id)
    {
        final long offsets = sections[SegmentLayout.STRING_OFFSETS];
        final int start = map.getInt((int)(offsets + 4L * id));
        final int end = map.getInt((int)(offsets + 4L * (id + 1)));
        final byte[] bytes = new byte[end - start];
        map.get((int)(sections[SegmentLayout.STRING_BYTES] + start), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int kindHour(final int cell)
    {
        return map.getInt((int)(columns[SegmentLayout.KIND_HOUR] + 4L * cell));
    }

    @Override
    public int key1(final int cell)
    {
        return map.getInt((int)(columns[SegmentLayout.KEY1] + 4L * cell));
    }

    @Override
    public int key2(final int cell)
    {
        return map.getInt((int)(columns[SegmentLayout.KEY2] + 4L * cell));
    }

    @Override
    public int key3(final int cell)
    {
        return map.getInt((int)(columns[SegmentLayout.KEY3] + 4L * cell));
    }

    @Override
    public long count0(final int cell)
    {
        return longAt(SegmentLayout.COUNT0, cell);
    }

    @Override
    public long count1(final int cell)
    {
        return longAt(SegmentLayout.COUNT1, cell);
    }

    @Override
    public long count2(final int cell)
    {
        return longAt(SegmentLayout.COUNT2, cell);
    }

    @Override
    public long cardinality0(final int cell)
    {
        return longAt(SegmentLayout.CARDINALITY0, cell);
    }

    @Override
    public long cardinality1(final int cell)
    {
        return longAt(SegmentLayout.CARDINALITY1, cell);
    }

    /** The cell's money, exact; null when it has none. */
    @Override
    public BigDecimal money(final int cell)
    {
        final int scale = map.getInt((int)(columns[SegmentLayout.SCALE] + 4L * cell));
        final long unscaled = longAt(SegmentLayout.UNSCALED, cell);
        if (scale == SegmentLayout.BIG_MONEY)
        {
            return new BigDecimal(string((int)unscaled));
        }
        return scale < 0 ? null : BigDecimal.valueOf(unscaled, scale);
    }

    /** The cell's first bitmap, read in place; null when it has none. */
    @Override
    public ImmutableRoaringBitmap bitmap0(final int cell)
    {
        return bitmapAt(longAt(SegmentLayout.BITMAP0, cell));
    }

    @Override
    public ImmutableRoaringBitmap bitmap1(final int cell)
    {
        return bitmapAt(longAt(SegmentLayout.BITMAP1, cell));
    }

    @Override
    public Histogram histogram(final int cell)
    {
        final long offset = longAt(SegmentLayout.HISTOGRAM, cell);
        if (offset < 0)
        {
            return null;
        }
        try
        {
            // HdrHistogram's encoding is big-endian, as the writer's heap buffer was
            final Histogram histogram = Histogram.decodeFromCompressedByteBuffer(blob(offset).order(ByteOrder.BIG_ENDIAN), 0);
            histogram.setAutoResize(true);
            return histogram;
        }
        catch (final DataFormatException ex)
        {
            throw new IllegalStateException(file + ": a damaged histogram at " + offset, ex);
        }
    }

    /** The first cell whose kind and hour are {@code kindHour} or after, by binary search over the sorted column. */
    public int firstCell(final int kindHour)
    {
        int low = 0;
        int high = cells;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (kindHour(mid) < kindHour)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private long longAt(final int column, final int cell)
    {
        return map.getLong((int)(columns[column] + 8L * cell));
    }

    private ImmutableRoaringBitmap bitmapAt(final long offset)
    {
        return offset < 0 ? null : new ImmutableRoaringBitmap(blob(offset));
    }

    private ByteBuffer blob(final long offset)
    {
        final int length = map.getInt((int)offset);
        return map.duplicate().position((int)offset + 4).limit((int)offset + 4 + length).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    // Ordinals.Known: the visitors this segment gave ordinals to

    @Override
    public int ordinalOf(final long id)
    {
        return visitorIds.ordinalOf(id);
    }

    @Override
    public int count()
    {
        return firstVisitor + visitors;
    }

    /** The sessions this segment gave ordinals to. */
    public Ordinals.Known sessionOrdinals()
    {
        return sessionIds;
    }

    /** Visitor ordinal {@code ordinal}'s id, when this segment gave it out. */
    public long visitorId(final int ordinal)
    {
        return visitorIds.idOf(ordinal);
    }

    public long sessionId(final int ordinal)
    {
        return sessionIds.idOf(ordinal);
    }

    /** The first time of a visitor this segment gave its ordinal to. */
    public long firstSeen(final int visitor)
    {
        return map.getLong((int)(sections[SegmentLayout.VISITOR_FIRST_SEEN] + 8L * (visitor - firstVisitor)));
    }

    /** Source dimension {@code d} of a visitor this segment gave its ordinal to: a string id. */
    public int visitorSource(final int visitor, final int d)
    {
        return map.getInt((int)(sections[SegmentLayout.VISITOR_SOURCES] +
            4L * ((long)(visitor - firstVisitor) * SegmentLayout.DIMENSIONS + d)));
    }

    /** The entry page of a session this segment gave its ordinal to: a string id. */
    public int entryPage(final int session)
    {
        return map.getInt((int)(sections[SegmentLayout.SESSION_ENTRY] + 4L * (session - firstSession)));
    }

    public int sessionSource(final int session, final int d)
    {
        return map.getInt((int)(sections[SegmentLayout.SESSION_SOURCES] +
            4L * ((long)(session - firstSession) * SegmentLayout.DIMENSIONS + d)));
    }

    /** Whether the visitor ordinal is one this segment gave out (not one of the days before it). */
    public boolean hasVisitor(final int visitor)
    {
        return visitor >= firstVisitor && visitor < firstVisitor + visitors;
    }

    public boolean hasSession(final int session)
    {
        return session >= firstSession && session < firstSession + sessions;
    }

    public int firstVisitor()
    {
        return firstVisitor;
    }

    public int visitors()
    {
        return visitors;
    }

    public int firstSession()
    {
        return firstSession;
    }

    public int sessions()
    {
        return sessions;
    }

    /** One id section: ids by ordinal, and sorted with their ordinals for lookups by id. */
    private final class Ids implements Ordinals.Known
    {
        private final long byOrdinal;
        private final long sorted;
        private final long sortedOrdinals;
        private final int first;
        private final int count;

        Ids(final int section, final int first, final int count)
        {
            this.byOrdinal = sections[section];
            this.sorted = sections[section + 1];
            this.sortedOrdinals = sections[section + 2];
            this.first = first;
            this.count = count;
        }

        @Override
        public int ordinalOf(final long id)
        {
            int low = 0;
            int high = count - 1;
            while (low <= high)
            {
                final int mid = (low + high) >>> 1;
                final long found = map.getLong((int)(sorted + 8L * mid));
                if (found < id)
                {
                    low = mid + 1;
                }
                else if (found > id)
                {
                    high = mid - 1;
                }
                else
                {
                    return map.getInt((int)(sortedOrdinals + 4L * mid));
                }
            }
            return -1;
        }

        @Override
        public int count()
        {
            return first + count;
        }

        long idOf(final int ordinal)
        {
            return map.getLong((int)(byOrdinal + 8L * (ordinal - first)));
        }
    }

    /** The kind and hour of a cell, for readers that walk a kind's cells. */
    public static boolean isKind(final int kindHour, final CellKind kind)
    {
        return CellKind.kindOf(kindHour) == kind;
    }

    @Override
    public SessionRows sessionRows()
    {
        return rows;
    }

    /** The row of session {@code ordinal}, or -1 when this segment has none. */
    public int rowOf(final int ordinal)
    {
        int low = 0;
        int high = rows.rows() - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int found = rows.ordinal(mid);
            if (found < ordinal)
            {
                low = mid + 1;
            }
            else if (found > ordinal)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }

    /** The session rows section, read in place. */
    private final class Rows implements SessionRows
    {
        private final int count;
        private final int ordinals;
        private final int first;
        private final int last;
        private final int exitPages;
        private final int pageviews;
        private final int events;
        private final int visitors;
        private final int[] sourceColumns;

        Rows(final long section)
        {
            count = map.getInt((int)section);
            final long[] at = SegmentLayout.rowColumns(section, count);
            ordinals = (int)at[0];
            first = (int)at[1];
            last = (int)at[2];
            exitPages = (int)at[3];
            pageviews = (int)at[4];
            events = (int)at[5];
            visitors = (int)at[6];
            sourceColumns = new int[SessionRows.SOURCES];
            for (int d = 0; d < SessionRows.SOURCES; d++)
            {
                sourceColumns[d] = (int)at[7 + d];
            }
        }

        @Override
        public int source(final int row, final int d)
        {
            return map.getInt(sourceColumns[d] + 4 * row);
        }

        @Override
        public int rows()
        {
            return count;
        }

        @Override
        public int ordinal(final int row)
        {
            return map.getInt(ordinals + 4 * row);
        }

        @Override
        public long first(final int row)
        {
            return map.getLong(first + 8 * row);
        }

        @Override
        public long last(final int row)
        {
            return map.getLong(last + 8 * row);
        }

        @Override
        public int exitPage(final int row)
        {
            return map.getInt(exitPages + 4 * row);
        }

        @Override
        public int pageviews(final int row)
        {
            return map.getInt(pageviews + 4 * row);
        }

        @Override
        public int events(final int row)
        {
            return map.getInt(events + 4 * row);
        }

        @Override
        public int visitor(final int row)
        {
            return map.getInt(visitors + 4 * row);
        }
    }
}
