package io.tally.explore;

import io.tally.codec.EventRecord;
import io.tally.codec.EventType;
import io.tally.explore.filter.EventFilter;
import io.tally.explore.report.EventStats;
import io.tally.explore.report.Grouping;
import io.tally.explore.report.StatsRow;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.UrlPath;
import io.tally.store.state.FreeSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filtered figures from sealed files ({@link EventStats}) against a plain pass over the journal they were sealed
 * from: per hour bucket, the visitors, pageviews, events, matches, conversions and exact revenue of the events a
 * filter keeps, robots left out.
 */
class EventStatsTest
{
    private static final long HOUR = 3_600_000L;
    private static final DateTimeFormatter BUCKET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    /** One bucket's figures, counted from the journal. */
    private static final class Counted
    {
        final Set<Long> visitors = new HashSet<>();
        long pageviews;
        long events;
        long matches;
        long conversions;
        BigDecimal revenue = BigDecimal.ZERO;

        String row()
        {
            return visitors.size() + " " + pageviews + " " + events + " " + matches + " " + conversions + " "
                + revenue.stripTrailingZeros().toPlainString();
        }
    }

    @Test
    void hourlyFiguresOfAFilterEqualAPassOverTheJournal() throws Exception
    {
        try (Journal journal = Journal.openForWriting(dataDir))
        {
            try (EventStore store = new EventStore(dataDir, journal, 0, 100, () -> TestJournal.T0, new FreeSpace(dataDir, 0)))
            {
                TestJournal.append(journal, 4000, 6, new Random(18));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (store.counters().position() < journal.lastIndex() && System.nanoTime() < deadline)
                {
                    Thread.sleep(20);
                }
                assertEquals(journal.lastIndex(), store.counters().position(), "sealed within 60 s");
            }
        }
        final String site = TestJournal.SITES[0];
        final long from = TestJournal.T0 - 4 * HOUR;
        final long to = TestJournal.T0 + 8 * HOUR;
        final Map<String, Counted> expected = new TreeMap<>();
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader())
        {
            while (reader.read((index, record) ->
            {
                final String path = UrlPath.of(record.string(EventRecord.URL));
                if (!record.string(EventRecord.SITE).equals(site) || record.robotReason() != EventRecord.ROBOT_NONE
                    || record.eventTime() < from || record.eventTime() >= to || !path.startsWith("/p/1")
                    || record.string(EventRecord.BROWSER).equals("Firefox"))
                {
                    return;
                }
                final Counted counted = expected.computeIfAbsent(BUCKET.format(Instant.ofEpochMilli(record.eventTime())),
                    key -> new Counted());
                counted.visitors.add(record.visitorId());
                counted.pageviews += record.type() == EventType.PAGEVIEW ? 1 : 0;
                counted.events += record.type() != EventType.PAGEVIEW && record.type() != EventType.ENGAGEMENT ? 1 : 0;
                counted.matches += record.hasFlag(EventRecord.FLAG_GOAL) ? 1 : 0;
                counted.conversions += record.hasFlag(EventRecord.FLAG_CONVERSION) ? 1 : 0;
                if (record.hasFlag(EventRecord.FLAG_REVENUE))
                {
                    counted.revenue = counted.revenue.add(BigDecimal.valueOf(record.revenueUnscaled(), record.revenueScale()));
                }
            }, 4096) > 0)
            {
                // to the end
            }
        }
        final Map<String, String> actual = new TreeMap<>();
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            final List<StatsRow> rows = new EventStats(queries).rows(site, from, to,
                EventFilter.parse("event:page==/p/1*;visit:browser!=Firefox"), Grouping.time("hour", "UTC"), EventStats.Order.KEY,
                1000, 0);
            for (final StatsRow row : rows)
            {
                actual.put(row.key(), row.visitors() + " " + row.pageviews() + " " + row.events() + " " + row.matches() + " "
                    + row.conversions() + " " + row.revenue().getOrDefault("EUR", BigDecimal.ZERO).stripTrailingZeros().toPlainString());
            }
        }
        final Map<String, String> oracle = new TreeMap<>();
        expected.forEach((bucket, counted) -> oracle.put(bucket, counted.row()));
        assertEquals(oracle, actual);
        assertTrue(oracle.size() >= 6, "several hours: " + oracle.keySet());
        assertTrue(oracle.values().stream().anyMatch(row -> !row.endsWith(" 0")), "some revenue kept");
    }
}
