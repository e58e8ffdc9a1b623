package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.DayCube;
import io.tally.store.rollup.segment.Segment;
import io.tally.store.rollup.segment.SegmentWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A segment of layout version 1 (written by the build before the session rows, kept as a file) is still read: its
 * figures as they were, no session rows and so no visit figures; a delta of late events on top of it counts the
 * visits it sees, and compaction folds the two. A version this build does not know is refused.
 */
class SegmentVersionOneTest
{
    /** Two visitors on one day at 10:00 UTC: three pageviews and a signup. */
    private static final String FILE = "v1-day.seg";

    @TempDir
    Path dir;

    private Path copy() throws IOException
    {
        final Path file = dir.resolve(FILE);
        try (InputStream in = getClass().getResourceAsStream(FILE))
        {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aVersionOneSegmentIsReadWithoutVisitFigures() throws IOException
    {
        final Segment segment = Segment.open(copy());
        segment.verify();
        final long[] totals = new long[3];
        segment.cells(CellKind.TOTAL, CellKind.DAY, CellKind.DAY + 1, cell ->
        {
            totals[0] += segment.count0(cell);
            totals[1] += segment.count1(cell);
            totals[2] += segment.cardinality0(cell);
        });
        assertEquals(List.of(3L, 1L, 2L), List.of(totals[0], totals[1], totals[2]), "pageviews, events, visitors");
        assertEquals(0, segment.sessionRows().rows());
        final SiteWideTotals siteWide = new SiteWideTotals();
        siteWide.addDay(List.of(segment), 0, CellKind.HOURS);
        assertEquals(new SiteWideTotals.Visits(0, 0, 0, 0), siteWide.visits());
        assertTrue(siteWide.pages().isEmpty());
    }

    @Test
    void aDeltaOnAVersionOneDayCountsTheVisitsItSeesAndCompactionKeepsThem() throws IOException
    {
        final SealedDay sealed = new SealedDay(Segment.open(copy()), 1, List.of());
        final long day = sealed.base.day();
        final DayCube delta = new DayCube(day, sealed.visitors(), sealed.sessions(), sealed.touches());
        final long time = day * Rollups.MILLIS_PER_DAY + 10 * Rollups.MILLIS_PER_HOUR + 30 * 60_000L;
        try (Journal journal = Journal.openForWriting(dir.resolve("journal")))
        {
            // a late pageview of the first visitor's session (ids 1 and 10 in the file), and of a new one
            RollupsTest.write(journal, List.of(
                new RollupsTest.Event("shop.example", time, 1, 10, "p", "pageview", null, null, 0, null, null, false, 0, 0,
                    "https://shop.example/thanks", ""),
                new RollupsTest.Event("shop.example", time + 1_000, 3, 30, "p", "pageview", null, null, 0, null, null, false, 0,
                    0, "https://shop.example/", "")));
            try (JournalReader reader = journal.newReader())
            {
                reader.read((index, record) -> delta.apply(record, 10), 10);
            }
        }
        final SiteWideTotals withDelta = new SiteWideTotals();
        withDelta.addDay(List.of(sealed.base, delta), 0, CellKind.HOURS);
        assertEquals(new SiteWideTotals.Visits(2, 2, 0, 2), withDelta.visits(), "the visits the delta saw, each one event");
        assertEquals("/", withDelta.entryPages().get(0).source(), "the sealed session's entry page, from the file");

        final Path deltaFile = dir.resolve("delta.seg");
        SegmentWriter.write(delta, true, deltaFile);
        final DayCube merged = RollupMaintenance.merge(sealed.withDelta(Segment.open(deltaFile)));
        final Path mergedFile = dir.resolve("merged.seg");
        SegmentWriter.write(merged, false, mergedFile);
        final SiteWideTotals compacted = new SiteWideTotals();
        compacted.addDay(List.of(Segment.open(mergedFile)), 0, CellKind.HOURS);
        assertEquals(withDelta.visits(), compacted.visits());
        assertEquals(withDelta.entryPages(), compacted.entryPages());
        assertEquals(withDelta.exitPages(), compacted.exitPages());
    }

    @Test
    void aVersionThisBuildDoesNotKnowIsRefused() throws IOException
    {
        final Path file = copy();
        final byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 4);
        Files.write(file, bytes);
        final IOException refused = assertThrows(IOException.class, () -> Segment.open(file));
        assertTrue(refused.getMessage().contains("layout version 4"), refused.getMessage());
    }
}
