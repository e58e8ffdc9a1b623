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
