package io.tally.explore.funnel;

import io.tally.explore.EventQueries;
import io.tally.explore.EventRebuild;
import io.tally.store.Journal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Funnels over the real event store: random streams written to a real journal through the codec, sealed into the
 * store's Parquet files, queried through DuckDB; every figure (visitors, drop-off, both rates, median time between
 * steps, revenue, the breakdown by country or entry page) equals the brute force over the same events, with steps' page patterns
 * and filters read by the stats API's filter parser.
 */
class FunnelQueryTest
{
    private static final long DAY = 86_400_000L;
    /** None, an event's own dimension, and a visit's (read from its session's first event). */
    private static final String[] BREAKDOWNS = {null, "visit:country", "visit:entry_page"};

    @TempDir
    Path temp;

    @Test
    void everyFigureEqualsTheBruteForceOverRandomStreamsInTheStore() throws Exception
    {
        final Random random = new Random(7_2026);
        int deep = 0;
        for (int round = 0; round < 30; round++)
        {
            final Path dataDir = Files.createDirectory(temp.resolve("r" + round));
            final List<TestEvent> events = RandomEvents.events(random, 5 + random.nextInt(30), 16);
            RandomEvents.write(dataDir, events);
            try (Journal journal = Journal.openForReading(dataDir))
            {
                EventRebuild.rebuild(dataDir, journal, 0, RandomEvents.T0 + DAY);
            }
            try (EventQueries queries = new EventQueries(dataDir, 1))
            {
                for (int funnel = 0; funnel < 5; funnel++)
                {
                    final List<FunnelQuery.Step> steps = RandomEvents.steps(random);
                    final long window = RandomEvents.window(random);
                    final String breakdown = BREAKDOWNS[random.nextInt(BREAKDOWNS.length)];
                    final Map<String, Object> expected = FunnelBruteForce.answer(events, steps, window, breakdown);
                    final Map<String, Object> actual = new FunnelQuery(queries).run(RandomEvents.SITE, steps, window,
                        RandomEvents.T0, RandomEvents.T0 + DAY, breakdown);
                    assertEquals(expected, actual, "round " + round + ", window " + window + ", steps " + steps);
                    final List<?> rows = (List<?>)actual.get("steps");
                    deep += ((Number)((Map<?, ?>)rows.get(rows.size() - 1)).get("visitors")).longValue() > 0 ? 1 : 0;
                }
            }
        }
        assertTrue(deep > 15, "many funnels are walked to their last step: " + deep);
    }

    @Test
    void breakdownRowsAreListedUpToTheCapAndAllAreCounted() throws Exception
    {
        final List<TestEvent> events = new java.util.ArrayList<>();
        final String[] pages = {"/a", "/b", "/c"};
        for (int visitor = 0; visitor < 3; visitor++)
        {
            // three visitors enter on three pages; a fourth on /a makes /a the value with the most visitors
            events.add(new TestEvent(events.size(), visitor, visitor, RandomEvents.T0 + visitor, "page", pages[visitor], null, null,
                null, false));
        }
        events.add(new TestEvent(events.size(), 9, 9, RandomEvents.T0 + 9, "page", "/a", null, null, null, false));
        RandomEvents.write(temp, events);
        try (Journal journal = Journal.openForReading(temp))
        {
            EventRebuild.rebuild(temp, journal, 0, RandomEvents.T0 + DAY);
        }
        final List<FunnelQuery.Step> steps = List.of(new FunnelQuery.Step("any", "page", "/*", null),
            new FunnelQuery.Step("b", "page", "/b", null));
        try (EventQueries queries = new EventQueries(temp, 1))
        {
            final Map<?, ?> atCap = (Map<?, ?>)new FunnelQuery(queries, 10, 10, 3).run(RandomEvents.SITE, steps, 0,
                RandomEvents.T0, RandomEvents.T0 + DAY, "event:page").get("breakdown");
            assertEquals(3, ((List<?>)atCap.get("rows")).size());
            assertEquals(3, atCap.get("total_rows"));
            final Map<?, ?> pastCap = (Map<?, ?>)new FunnelQuery(queries, 10, 10, 2).run(RandomEvents.SITE, steps, 0,
                RandomEvents.T0, RandomEvents.T0 + DAY, "event:page").get("breakdown");
            final List<?> rows = (List<?>)pastCap.get("rows");
            assertEquals(2, rows.size(), "the two values with the most visitors");
            assertEquals("/a", ((Map<?, ?>)rows.get(0)).get("value"), "two visitors entered on /a");
            assertEquals(3, pastCap.get("total_rows"), "every value is counted");
        }
    }

    @Test
    void anUnknownBreakdownIsRefusedNamingTheChoices() throws Exception
    {
        try (EventQueries queries = new EventQueries(temp, 1))
        {
            final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () ->
                new FunnelQuery(queries).run(RandomEvents.SITE, RandomEvents.steps(new Random(1)), 0, 0, DAY, "visit:colour"));
            assertEquals("no such property to break down by: visit:colour", error.getMessage());
        }
    }
}
