package io.tally.store.rollup.segment;

/**
 * The layout of a sealed day segment, version {@link #VERSION}. Little-endian; every section starts at a multiple
 * of 8; the file is read in place from a read-only mapping.
 * <pre>
 *   header, 184 bytes (176 in version 1, which has no session rows):
 *     0  magic "TLYSEG01"           8  version int           12 kind int (0 day, 1 delta)
 *     16 day (UTC epoch day) long   24 records long          32 cells int             36 strings int
 *     40 first visitor ordinal int  44 visitors int          48 first session ordinal int  52 sessions int
 *     56 file length long           64.. section offsets, a long each, in the order below
 *   strings:          int[strings + 1] offsets into the bytes that follow (UTF-8)
 *   visitor ids:      long[visitors] by ordinal (first visitor ordinal + n); then sorted: long[visitors] ids,
 *                     int[visitors] their ordinals (binary search)
 *   session ids:      the same for sessions
 *   visitor touches:  long[visitors] first time (epoch ms), int[visitors * 4] first source (string ids:
 *                     referrer domain, utm_source, utm_medium, utm_campaign)
 *   session touches:  int[sessions] entry page, int[sessions * 4] source (string ids)
 *   session rows:     (version 2; its offset is the 15th) int rows, then by column, sorted by ordinal: int ordinal,
 *                     long first time, long last time (epoch ms), int exit page (string id), int pageviews, int events
 *                     (engagement aside), int visitor ordinal, int[5] sources (referrer domain, utm_source,
 *                     utm_medium, utm_campaign, entry page; string ids, a column each): a day's own sessions, and a
 *                     delta's also those of the sealed day that its late events continued
 *   cells, by column, sorted by (kind, hour, key1, key2, key3); hour 24 holds the whole day's figures:
 *     int kindHour, int key1, int key2, int key3, long count0, long count1, long count2,
 *     long unscaled, int scale (-1 no money; -2 the sum is the decimal text of string id {@code unscaled}),
 *     long cardinality0, long cardinality1 (of the bitmaps), long bitmap0, long bitmap1, long histogram
 *     (blob offsets, -1 for none)
 *   blobs:            int length, then the bytes: bitmaps in Roaring's portable format, histograms in
 *                     HdrHistogram's compressed encoding
 *   trailer, 16 bytes: CRC-32C of everything before it (long), magic again
 * </pre>
 * A reader refuses a version it does not know; the rollups then count the journal again. Version 1 (no session
 * rows, no site-wide cells) is still read: its days have no visit figures; so is version 2 (no COUNTRY cells): its
 * days have no countries.
 */
final class SegmentLayout
{
    static final long MAGIC = 0x3130474553594C54L; // "TLYSEG01" little-endian
    /**
     * 3: the COUNTRY cells, in the layout of version 2 (session rows, site-wide and AUDIENCE cells), which is still
     * read (its day has no countries); so is version 1 (no session rows, site-wide or audience cells either).
     */
    static final int VERSION = 3;
    static final int VERSION_1 = 1;
    static final int HEADER = 184;
    /** The header of version 1, which had no session rows. */
    static final int HEADER_V1 = 176;
    static final int TRAILER = 16;

    static final int VERSION_OFFSET = 8;
    static final int KIND_OFFSET = 12;
    static final int DAY_OFFSET = 16;
    static final int RECORDS_OFFSET = 24;
    static final int CELLS_OFFSET = 32;
    static final int STRINGS_OFFSET = 36;
    static final int FIRST_VISITOR_OFFSET = 40;
    static final int VISITORS_OFFSET = 44;
    static final int FIRST_SESSION_OFFSET = 48;
    static final int SESSIONS_OFFSET = 52;
    static final int LENGTH_OFFSET = 56;
    static final int SECTIONS_OFFSET = 64;

    /** The sections whose offsets follow the header's fixed fields, in order. */
    static final int STRING_OFFSETS = 0;
    static final int STRING_BYTES = 1;
    static final int VISITOR_IDS = 2;
    static final int VISITOR_SORTED = 3;
    static final int VISITOR_SORTED_ORDINALS = 4;
    static final int SESSION_IDS = 5;
    static final int SESSION_SORTED = 6;
    static final int SESSION_SORTED_ORDINALS = 7;
    static final int VISITOR_FIRST_SEEN = 8;
    static final int VISITOR_SOURCES = 9;
    static final int SESSION_ENTRY = 10;
    static final int SESSION_SOURCES = 11;
    static final int CELL_COLUMNS = 12;
    static final int BLOBS = 13;
    static final int SESSION_ROWS = 14;
    static final int SECTIONS = 15;
    static final int SECTIONS_V1 = 14;
    /** Source dimensions a touch has. */
    static final int DIMENSIONS = 4;

    /** Cell columns, in order: name and width in bytes. */
    static final int KIND_HOUR = 0;
    static final int KEY1 = 1;
    static final int KEY2 = 2;
    static final int KEY3 = 3;
    static final int COUNT0 = 4;
    static final int COUNT1 = 5;
    static final int COUNT2 = 6;
    static final int UNSCALED = 7;
    static final int SCALE = 8;
    static final int CARDINALITY0 = 9;
    static final int CARDINALITY1 = 10;
    static final int BITMAP0 = 11;
    static final int BITMAP1 = 12;
    static final int HISTOGRAM = 13;
    static final int[] COLUMN_WIDTHS = {4, 4, 4, 4, 8, 8, 8, 8, 4, 8, 8, 8, 8, 8};

    static final int KIND_DAY = 0;
    static final int KIND_DELTA = 1;
    /** The scale of a sum too large for a long, kept as decimal text. */
    static final int BIG_MONEY = -2;

    private SegmentLayout()
    {
    }

    static long align(final long position)
    {
        return (position + 7) & ~7L;
    }

    /** Where column {@code column} of {@code cells} cells starts, relative to the cell section. */
    static long columnOffset(final int column, final int cells)
    {
        long offset = 0;
        for (int c = 0; c < column; c++)
        {
            offset = align(offset + (long)COLUMN_WIDTHS[c] * cells);
        }
        return offset;
    }

    /**
     * Where each column of the session rows section starts (ordinal, first, last, exit, pageviews, events, visitor,
     * then the five sources), and at the end where the section ends.
     */
    static long[] rowColumns(final long section, final int rows)
    {
        final int[] widths = {4, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 4};
        final long[] at = new long[widths.length + 1];
        long position = section + 8;
        for (int c = 0; c < widths.length; c++)
        {
            at[c] = position;
            position = align(position + (long)widths[c] * rows);
        }
        at[widths.length] = position;
        return at;
    }
}
