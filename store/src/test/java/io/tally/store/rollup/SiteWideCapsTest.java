package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.RollupCaps;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The site-wide pages keep at most {@link RollupCaps#MAX_VALUES_PER_KEY} texts per hour: at the cap each is its own
 * row, one past it the new ones count under {@code (other)}, also after a checkpoint and restore; an engagement on a
 * page past the cap counts under {@code (other)}'s row. Entry pages and sources are the day's (capped per day).
 */
class SiteWideCapsTest
{
    private static final long T0 = RollupsTest.T0 - RollupsTest.T0 % RollupsTest.HOUR;
    private static final int CAP = RollupCaps.MAX_VALUES_PER_KEY;

    @TempDir
    Path dir;

    /** A pageview of visitor (and session) {@code n} on page {@code /p<page>}, from referrer {@code r<page>.example}. */
    private static RollupsTest.Event pageview(final int n, final int page)
    {
        return new RollupsTest.Event("shop.example", T0 + n, n, n, "p", "pageview", null, null, 0, null, null, false, 0, 0,
            "https://shop.example/p" + page, "https://r" + page + ".example/");
    }

    private static RollupsTest.Event engagement(final int n, final int page)
    {
        return new RollupsTest.Event("shop.example", T0 + n, n, n, "x", "engagement", null, null, 0, null, null, false, 0, 0,
            "https://shop.example/p" + page, "", 2_000, 50);
    }

    @Test
    void atTheCapEveryPageAndSourceIsItsOwnRowPastItTheNewOnesAreOther()
    {
        final List<RollupsTest.Event> atCap = new ArrayList<>();
        for (int i = 0; i < CAP; i++)
        {
            atCap.add(pageview(i, i));
        }
        final StateFiles files = new StateFiles(dir);
        final Rollups restored;
        try (Journal journal = Journal.openForWriting(dir.resolve("journal")))
        {
            RollupsTest.write(journal, atCap);
            final Rollups rollups = new Rollups();
            applyAll(journal, rollups);
            final SiteWideTotals totals = rollups.totals("shop.example", T0, T0 + RollupsTest.HOUR).siteWide();
            assertEquals(CAP, totals.pages().size());
            assertEquals(CAP, totals.entryPages().size());
            assertEquals(CAP, totals.sources(0).size());
            assertNull(pages(totals).get(RollupCaps.OTHER));
            new RollupCheckpoint(files).write(rollups, List.of());
            restored = new RollupCheckpoint(files).load(journal);
        }
        try (Journal journal = Journal.openForWriting(dir.resolve("past")))
        {
            // two new pages past the cap (one twice), a kept one again, and engagement on a new page and on a kept one
            RollupsTest.write(journal, List.of(pageview(5_000, 5_000), pageview(5_001, 5_001), pageview(5_002, 5_001),
                pageview(5_003, 0), engagement(5_004, 6_000), engagement(5_005, 1)));
            applyAll(journal, restored);
        }
        final SiteWideTotals totals = restored.totals("shop.example", T0, T0 + RollupsTest.HOUR).siteWide();
        final Map<String, SiteWideTotals.PageRow> pages = pages(totals);
        assertEquals(CAP + 1, pages.size());
        final SiteWideTotals.PageRow other = pages.get(RollupCaps.OTHER);
        assertEquals(List.of(3L, 3L, 3L, 2_000L, 1L, 50L, 1L), List.of(other.pageviews(), other.visitors(), other.visits(),
            other.engagedMillis(), other.engagedVisitors(), other.scrollSum(), other.scrollCount()),
            "3 pageviews on new pages past the cap and 1 engagement");
        assertEquals(List.of(2L, 2L, 2_000L), List.of(pages.get("/p0").pageviews(), pages.get("/p0").visitors(),
            pages.get("/p1").engagedMillis() + pages.get("/p0").engagedMillis()), "kept pages are still counted");
        // entry pages and sources are the day's, under its own cap of 10,000 (SourceParserTest): not grouped here
        final Map<String, Long> entries = totals.entryPages().stream()
            .collect(Collectors.toMap(SiteWideTotals.SourceRow::source, SiteWideTotals.SourceRow::visits));
        assertEquals(CAP + 2, entries.size(), "the visits' entry pages: engagement alone is no visit");
        assertEquals(List.of(2L, 2L), List.of(entries.get("/p0"), entries.get("/p5001")));
        final Map<String, Long> referrers = totals.sources(0).stream()
            .collect(Collectors.toMap(SiteWideTotals.SourceRow::source, SiteWideTotals.SourceRow::visits));
        assertEquals(CAP + 2, referrers.size());
        assertNull(referrers.get(RollupCaps.OTHER));
        assertEquals(CellKind.ENTRY_PAGE, 8, "entry pages are dimension 8, as in attribution");
    }

    private static Map<String, SiteWideTotals.PageRow> pages(final SiteWideTotals totals)
    {
        return totals.pages().stream().collect(Collectors.toMap(SiteWideTotals.PageRow::page, row -> row));
    }

    private static void applyAll(final Journal journal, final Rollups rollups)
    {
        try (JournalReader reader = journal.newReader())
        {
            while (reader.read(rollups::apply, 1000) > 0)
            {
                // all of it
            }
        }
    }
}
