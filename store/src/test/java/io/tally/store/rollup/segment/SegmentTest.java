package io.tally.store.rollup.segment;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.Cells;
import io.tally.store.rollup.day.DayCube;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SegmentTest
{
    @TempDir
    Path dir;

    /** Two hours whose sums fit a long add up to a day whose sum does not: the day's cell is exact too. */
    @Test
    void aWholeDaySumPastALongIsKeptExactlyWhenItsHoursFit() throws IOException
    {
        final DayCube day = new DayCube(20_000);
        final Cells cells = day.cells();
        final int usd = day.strings().id("USD");
        for (final int hour : new int[] {1, 2})
        {
            cells.addMoney(cells.cell(CellKind.REVENUE, hour, usd, 0, 0), 5_000_000_000_000_000_001L, 18);
        }
        final Path file = dir.resolve("day.seg");
        SegmentWriter.write(day, false, file);
        final Segment segment = Segment.open(file);
        segment.verify();
        final BigDecimal[] found = new BigDecimal[3];
        segment.cells(CellKind.REVENUE, 0, CellKind.DAY + 1, cell -> found[CellKind.hourOf(segment.kindHour(cell)) == CellKind.DAY ?
            0 : CellKind.hourOf(segment.kindHour(cell))] = segment.money(cell));
        assertEquals(new BigDecimal("5.000000000000000001"), found[1]);
        assertEquals(new BigDecimal("5.000000000000000001"), found[2]);
        assertEquals(new BigDecimal("10.000000000000000002"), found[0], "the whole day's cell");
    }

    /** A version 1 segment (no session rows, site-wide, audience or country cells) still opens; an unknown version does not. */
    @Test
    void aVersionOneSegmentIsStillReadAndAnUnknownVersionRefused() throws IOException
    {
        final DayCube day = new DayCube(20_000);
        final Cells cells = day.cells();
        cells.add0(cells.cell(CellKind.TOTAL, 3, 0, 0, 0), 7);
        final Path file = dir.resolve("day.seg");
        SegmentWriter.write(day, false, file);
        assertEquals(SegmentLayout.VERSION, version(file));
        for (final int version : new int[] {SegmentLayout.VERSION_1, SegmentLayout.VERSION + 1})
        {
            rewriteVersion(file, version);
            if (version == SegmentLayout.VERSION_1)
            {
                final Segment segment = Segment.open(file);
                segment.verify();
                final long[] pageviews = new long[1];
                segment.cells(CellKind.TOTAL, 3, 4, cell -> pageviews[0] += segment.count0(cell));
                assertEquals(7, pageviews[0]);
            }
            else
            {
                final IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Segment.open(file));
                assertEquals("layout version " + version + ", not " + SegmentLayout.VERSION, refused.getMessage().substring(
                    refused.getMessage().indexOf("layout version")));
            }
        }
    }

    private static int version(final Path file) throws IOException
    {
        return java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .getInt(SegmentLayout.VERSION_OFFSET);
    }

    /** Writes another version into the header, and the trailer's checksum to match, as that version's writer would. */
    private static void rewriteVersion(final Path file, final int version) throws IOException
    {
        final byte[] bytes = java.nio.file.Files.readAllBytes(file);
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(SegmentLayout.VERSION_OFFSET, version);
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - SegmentLayout.TRAILER);
        buffer.putLong(bytes.length - SegmentLayout.TRAILER, crc.getValue());
        java.nio.file.Files.write(file, bytes);
    }

    /** Version 2 has version 3's layout without the COUNTRY cells: its segments are still read. */
    @Test
    void aVersionTwoSegmentIsReadAndItsHeaderSaysWhichVersionsAreKnown() throws IOException
    {
        final DayCube day = new DayCube(20_000);
        day.cells().add0(day.cells().cell(CellKind.TOTAL, 3, 0, 0, 0), 7);
        final Path file = dir.resolve("day.seg");
        SegmentWriter.write(day, false, file);
        final byte[] bytes = java.nio.file.Files.readAllBytes(file);
        assertEquals(SegmentLayout.VERSION, java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8));
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        java.nio.file.Files.write(file, bytes);
        final Segment segment = Segment.open(file);
        final long[] pageviews = new long[1];
        segment.cells(CellKind.TOTAL, CellKind.DAY, CellKind.DAY + 1, cell -> pageviews[0] += segment.count0(cell));
        assertEquals(7, pageviews[0]);
    }
}
